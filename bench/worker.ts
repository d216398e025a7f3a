/**
 * One measurement in a fresh process, so that peak memory and JIT state of one case do
 * not leak into the next. Started by bench/run.ts with a JSON job as its argument;
 * prints one JSON result line.
 *
 * - `pipeline`: the whole diagnosis as the command line runs it: stream the file, decode,
 *   split lines, parse, extract facts, match, rank.
 * - `match`: the stages one by one: records are parsed in batches of 8,192, then their
 *   facts are extracted, then the signature scan runs over them; each stage is timed
 *   on its own (`parseMs`, `extractMs`, and `ms` for the scan: the matching stage).
 * - `kb`: KB load and index build, then the latency of prose questions.
 * - `bundle-write`: makes the prebuilt bundle of a generated KB, as `npm run build` does
 *   for the real one (not timed: the build's cost, not the start's).
 * - `bundle-open`: a start from that bundle, in a process that has not touched the KB:
 *   read the KB's files and check the bundle's hash, restore the KB from the bundle, and
 *   answer a first paste and a first question (which restores the full-text index), as
 *   a server does before and at its first requests.
 */
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashKbFiles, kbHash, writeBundle as writeKbBundle } from '../kb/bundle';
import { loadKbFromDir, type LoadedKb } from '../kb/load-kb';
import { openKnowledgeBase } from '../kb/open-kb';
import { readKbSources } from '../kb/sources';
import { createDiagnosisSession, diagnoseText } from '../matchers/diagnose';
import { extractFacts } from '../matchers/facts/extract-facts';
import { createLineDecoder } from '../matchers/line-decoder';
import { createLogParser } from '../matchers/parse/log-parser';
import { createScanner } from '../matchers/signatures/scan';
import type { LogRecord, RecordFacts } from '../matchers/types';
import { createRandom } from './random';
import { failureMessage, proseQuestions } from './signature-specs';

export type Job =
  | { mode: 'pipeline'; kbDir: string; file: string; repeat: number }
  | { mode: 'match'; kbDir: string; file: string; repeat: number }
  | { mode: 'kb'; kbDir: string; questions: number }
  | { mode: 'bundle-write'; kbDir: string; bundle: string }
  | { mode: 'bundle-open'; kbDir: string; bundle: string };

export interface PipelineResult {
  mode: 'pipeline' | 'match';
  bytes: number;
  /** Best of the repeats, in milliseconds. */
  ms: number;
  /** For `match`: time spent parsing and extracting facts (not part of `ms`, which is the signature scan alone). */
  parseMs?: number;
  extractMs?: number;
  matches: number;
  lines: number;
  kbLoadMs: number;
  /** RSS after the KB was loaded, before the log was read (MB). */
  baseRssMb: number;
  /** Peak RSS of the process (MB). */
  peakRssMb: number;
}

export interface KbResult {
  mode: 'kb';
  entries: number;
  signatures: number;
  loadMs: number;
  indexBuildMs: number;
  p50Ms: number;
  p99Ms: number;
  searchP50Ms: number;
  searchP99Ms: number;
  peakRssMb: number;
}

export interface BundleWriteResult {
  mode: 'bundle-write';
  entries: number;
  signatures: number;
  bytes: number;
}

export interface BundleOpenResult {
  mode: 'bundle-open';
  entries: number;
  /** Reading the KB's files and hashing them, to tell whether the bundle is current. */
  hashMs: number;
  /** Restoring the KB from the bundle (signatures compiled, automata, code table). */
  openMs: number;
  /** The first paste's diagnosis (a failure line of a generated signature). */
  firstPasteMs: number;
  /** The first prose question's diagnosis: it restores the full-text index. */
  firstQuestionMs: number;
  /** From the start of the open to both answers. */
  readyMs: number;
  peakRssMb: number;
}

const MB = 1024 * 1024;
const rssMb = (): number => process.memoryUsage.rss() / MB;
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;

async function pipelineOnce(loaded: LoadedKb, file: string): Promise<{ ms: number; matches: number; lines: number }> {
  const started = performance.now();
  const session = createDiagnosisSession(loaded.kb, { fileName: file });
  const decoder = createLineDecoder();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
    for (const line of decoder.push(chunk as Buffer)) session.push(line);
  }
  for (const line of decoder.end()) session.push(line);
  const d = session.finish();
  return { ms: performance.now() - started, matches: d.matches.length, lines: d.lines };
}

async function matchOnce(loaded: LoadedKb, file: string): Promise<{ ms: number; parseMs: number; extractMs: number; matches: number; lines: number }> {
  const parser = createLogParser({ fileName: file });
  const scanner = createScanner(loaded.kb.matchers);
  const decoder = createLineDecoder();
  let batch: LogRecord[] = [];
  let ms = 0;
  let extractMs = 0;
  let parseMs = 0;
  let lines = 0;
  const flush = (): void => {
    const t0 = performance.now();
    const facts = batch.map((r) => extractFacts(r));
    const t1 = performance.now();
    for (let i = 0; i < batch.length; i++) scanner.observe(batch[i] as LogRecord, facts[i] as RecordFacts);
    const t2 = performance.now();
    extractMs += t1 - t0;
    ms += t2 - t1;
    batch = [];
  };
  const feed = (list: string[]): void => {
    const t = performance.now();
    for (const line of list) for (const r of parser.push(line)) batch.push(r);
    lines += list.length;
    parseMs += performance.now() - t;
    if (batch.length >= 8192) flush();
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) feed(decoder.push(chunk as Buffer));
  feed(decoder.end());
  for (const r of parser.end()) batch.push(r);
  flush();
  const t = performance.now();
  const found = scanner.finish();
  ms += performance.now() - t;
  return { ms, parseMs, extractMs, matches: found.length, lines };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The bundle of a generated KB, as `npm run build` writes the real one (after the same load). */
function writeBundle(job: { kbDir: string; bundle: string }): BundleWriteResult {
  const loaded = loadKbFromDir(job.kbDir, 'bench-kb');
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated KB has problems: ${errors.slice(0, 3).map((p) => `${p.file}:${p.line} ${p.message}`).join('; ')}`);
  mkdirSync(dirname(job.bundle), { recursive: true });
  // Both files, as the build writes them; the size reported is the two together (what a start that searches reads).
  const { bundleBytes, indexBytes } = writeKbBundle(job.bundle, loaded, kbHash(readKbSources(job.kbDir, 'bench-kb'), job.kbDir));
  return { mode: 'bundle-write', entries: loaded.stats.entries, signatures: loaded.stats.signatures, bytes: bundleBytes + indexBytes };
}

/**
 * A start from the bundle, timed in steps. openKnowledgeBase reads and hashes the files
 * itself; the first step repeats that read alone, so that its share is known (the OS file
 * cache is warm for both, as it is for a server restarted on the same machine).
 */
async function openBundle(job: { kbDir: string; bundle: string }): Promise<BundleOpenResult> {
  const t0 = performance.now();
  hashKbFiles(job.kbDir, 'bench-kb');
  const t1 = performance.now();
  let fellBack = '';
  const loaded = await openKnowledgeBase(job.kbDir, { bundle: job.bundle, notice: (m) => { fellBack = m; } });
  if (fellBack) throw new Error(`the bundle was not used: ${fellBack}`);
  const t2 = performance.now();
  const paste = failureMessage(1, createRandom(1));
  const d = diagnoseText(paste, loaded.kb);
  const t3 = performance.now();
  const [question] = proseQuestions(1);
  diagnoseText(question ?? 'download stuck at 27%', loaded.kb);
  const t4 = performance.now();
  if (d.matches.length === 0) throw new Error(`the first paste matched nothing: ${paste}`);
  return {
    mode: 'bundle-open', entries: loaded.stats.entries, hashMs: t1 - t0, openMs: t2 - t1, firstPasteMs: t3 - t2,
    firstQuestionMs: t4 - t3, readyMs: t4 - t1, peakRssMb: peakMb(),
  };
}

async function run(job: Job): Promise<PipelineResult | KbResult | BundleWriteResult | BundleOpenResult> {
  if (job.mode === 'bundle-write') return writeBundle(job);
  if (job.mode === 'bundle-open') return openBundle(job);
  const t = performance.now();
  const loaded = loadKbFromDir(job.kbDir, 'bench-kb');
  const kbLoadMs = performance.now() - t;
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated KB has problems: ${errors.slice(0, 3).map((p) => `${p.file}:${p.line} ${p.message}`).join('; ')}`);
  if (job.mode === 'kb') {
    const questions = proseQuestions(job.questions);
    // A few questions first, so that the figures describe a warmed-up server.
    for (const q of questions.slice(0, 20)) diagnoseText(q, loaded.kb);
    const times: number[] = [];
    const searchTimes: number[] = [];
    for (const q of questions) {
      const a = performance.now();
      diagnoseText(q, loaded.kb);
      const b = performance.now();
      loaded.kb.search(q);
      searchTimes.push(performance.now() - b);
      times.push(b - a);
    }
    times.sort((x, y) => x - y);
    searchTimes.sort((x, y) => x - y);
    return {
      mode: 'kb', entries: loaded.stats.entries, signatures: loaded.stats.signatures, loadMs: loaded.stats.loadMs,
      indexBuildMs: loaded.stats.indexBuildMs, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99),
      searchP50Ms: percentile(searchTimes, 50), searchP99Ms: percentile(searchTimes, 99), peakRssMb: peakMb(),
    };
  }
  const baseRssMb = rssMb();
  const bytes = statSync(job.file).size;
  let best: { ms: number; parseMs?: number; extractMs?: number; matches: number; lines: number } | undefined;
  for (let i = 0; i < job.repeat; i++) {
    const r = job.mode === 'pipeline' ? await pipelineOnce(loaded, job.file) : await matchOnce(loaded, job.file);
    if (!best || r.ms < best.ms) best = r;
  }
  if (!best) throw new Error('repeat must be at least 1');
  return { mode: job.mode, bytes, ...best, kbLoadMs, baseRssMb, peakRssMb: peakMb() };
}

const arg = process.argv[2];
if (arg === undefined) {
  process.stderr.write('usage: tsx bench/worker.ts \'{"mode":"pipeline","kbDir":"…","file":"…","repeat":1}\'\n');
  process.exit(2);
}
run(JSON.parse(arg) as Job).then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`bench worker: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
