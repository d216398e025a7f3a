/**
 * `npm run bench`: how fast the engine is, next to ripgrep over the same patterns, and
 * how the server holds up under load. Prints the machine, then one table per question,
 * then which targets were met. Generated data is written once to a scratch folder
 * (BENCH_DATA_DIR, default <tmp>/support-kb-bot-bench) and reused by later runs.
 *
 *   npm run bench                 logs of 1 and 10 MB, KB of 50/500/5,000 signatures, server (about 4 minutes)
 *   npm run bench -- --quick      the same with shorter server runs and fewer repeats (about 2 minutes)
 *   npm run bench -- --full       adds the 100 MB log (about 7 minutes; ripgrep alone takes ~15 s at 5,000 signatures)
 *   --no-server                   skip the server measurements
 *   --no-rg                       leave ripgrep out even when it is installed (its columns show n/a)
 *   --json FILE                   also write every figure as JSON
 *
 * Every measurement of the engine runs in a fresh child process (bench/worker.ts), so
 * peak memory and JIT state do not carry from one case to the next.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKb, type GeneratedKb } from './gen-kb';
import { generateLog, LOG_KINDS, type LogKind } from './gen-logs';
import { percentile, runMixedLoad, type MixResult } from './load-mix';
import { describeMachine, formatMachine, type Machine } from './machine';
import { runRipgrep, type RipgrepRun } from './ripgrep';
import { benchEndpoints, type EndpointRun } from './server-bench';
import { startServerProcess } from './server-process';
import { measureServerStart, measureStartup, type StartRow } from './startup';
import { table } from './table';
import type { BundleOpenResult, BundleWriteResult, Job, KbResult, PipelineResult } from './worker';

interface Args {
  quick: boolean;
  full: boolean;
  server: boolean;
  rg: boolean;
  json?: string;
}

function startTable(starts: readonly StartRow[]): string {
  const base = starts[0]?.wallMs.median ?? 1;
  return table(['what', 'runs', 'wall ms min', 'median', 'max', '÷ node -e 0 (median)', 'peak RSS MB'], starts.map((r) => [
    r.what, String(r.runs), f0(r.wallMs.min), f0(r.wallMs.median), f0(r.wallMs.max),
    r.what.startsWith('server') ? '—' : `${(r.wallMs.median / base).toFixed(2)}×`, r.peakRssMb === null ? '—' : f0(r.peakRssMb),
  ]));
}

function startTargets(starts: readonly StartRow[]): string[] {
  const node = starts[0];
  const cli = starts[1];
  if (!node || !cli) return [];
  const ratio = cli.wallMs.median / node.wallMs.median;
  return [
    `${verdict(ratio <= 2)}: CLI answering one code within 2× a bare node -e 0: ${ratio.toFixed(2)}× (${f0(cli.wallMs.median)} vs ${f0(node.wallMs.median)} ms, medians)`,
    cli.peakRssMb === null ? 'n/a: CLI peak memory (no /usr/bin/time)' : `${verdict(cli.peakRssMb <= 70)}: CLI peak memory at most 70 MB: ${f0(cli.peakRssMb)} MB (node -e 0: ${f0(node.peakRssMb ?? 0)} MB)`,
  ];
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, full: false, server: true, rg: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--quick') a.quick = true;
    else if (x === '--full') a.full = true;
    else if (x === '--no-server') a.server = false;
    else if (x === '--no-rg') a.rg = false;
    else if (x === '--json') a.json = argv[++i];
    else if (x === '--') continue;
    else {
      process.stderr.write(`bench: unknown option ${x}; use --quick, --full, --no-server, --no-rg or --json FILE\n`);
      process.exit(2);
    }
  }
  return a;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIGNATURES = [50, 500, 5000];
const ENTRIES_FOR_QUERIES = [50, 500, 2000];

function work<T>(job: Job): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

function progress(s: string): void {
  process.stderr.write(`… ${s}\n`);
}

const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
const f1 = (n: number): string => n.toFixed(1);
const f0 = (n: number): string => n.toFixed(0);
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const ratio = (a: number, b: number | null): string => (b === null ? 'n/a' : `${(a / b).toFixed(2)}×`);

interface ThroughputRow {
  kind: LogKind;
  megabytes: number;
  signatures: number;
  pipeline: PipelineResult;
  stages: PipelineResult;
  rg: RipgrepRun | null;
}

function measureThroughput(file: string, kind: LogKind, megabytes: number, kb: GeneratedKb, rg: boolean, scratch: string, quick: boolean): ThroughputRow {
  const repeat = megabytes >= 100 ? 1 : quick ? 2 : 3;
  progress(`${kind} ${megabytes} MB × ${kb.signatures} signatures`);
  const pipeline = work<PipelineResult>({ mode: 'pipeline', kbDir: kb.dir, file, repeat });
  const stages = work<PipelineResult>({ mode: 'match', kbDir: kb.dir, file, repeat });
  let rgRun: RipgrepRun | null = null;
  if (rg) {
    try {
      rgRun = runRipgrep(kb.patternsFile, file, scratch, megabytes >= 100 ? 1 : 2);
    } catch (e) {
      progress(`ripgrep failed: ${(e as Error).message}`);
    }
  }
  return { kind, megabytes, signatures: kb.signatures, pipeline, stages, rg: rgRun };
}

/** ripgrep's search speed without its set-up; its wall-clock speed when the search was too quick to separate. */
function rgSearchMbps(r: ThroughputRow): number | null {
  if (!r.rg) return null;
  return mbps(r.pipeline.bytes, r.rg.searchMs ?? r.rg.wallMs);
}

function throughputTable(rows: readonly ThroughputRow[]): string {
  return table(
    ['log', 'signatures', 'match MB/s', 'extract MB/s', 'pipeline MB/s', 'peak RSS MB', 'rg MB/s (wall)', 'rg MB/s (search)', 'rg RSS MB', 'match ÷ rg', 'pipeline ÷ rg'],
    rows.map((r) => {
      const bytes = r.pipeline.bytes;
      const rgSearch = rgSearchMbps(r);
      const match = mbps(bytes, r.stages.ms);
      const pipe = mbps(bytes, r.pipeline.ms);
      return [
        `${r.kind} ${r.megabytes} MB`, String(r.signatures), f1(match), f1(mbps(bytes, r.stages.extractMs ?? 0)), f1(pipe),
        f0(r.pipeline.peakRssMb), r.rg ? f1(mbps(bytes, r.rg.wallMs)) : 'n/a', !r.rg ? 'n/a' : r.rg.searchMs === null ? 'set-up bound' : f1(rgSearch as number),
        r.rg?.peakRssMb != null ? f0(r.rg.peakRssMb) : 'n/a', ratio(match, rgSearch), ratio(pipe, rgSearch),
      ];
    }),
  );
}

function kbTable(rows: readonly KbResult[]): string {
  return table(
    ['entries', 'signatures', 'load + compile ms', 'index build ms', 'question p50 ms', 'question p99 ms', 'search p50 ms', 'search p99 ms', 'peak RSS MB'],
    rows.map((r) => [String(r.entries), String(r.signatures), f0(r.loadMs), f0(r.indexBuildMs), f1(r.p50Ms), f1(r.p99Ms), f1(r.searchP50Ms), f1(r.searchP99Ms), f0(r.peakRssMb)]),
  );
}

interface BundleRow {
  write: BundleWriteResult;
  /** The open with the median ready time of the runs. */
  open: BundleOpenResult;
  runs: number;
  readyMs: { min: number; max: number };
}

/**
 * A start from the prebuilt bundle of a generated KB, each run in a fresh process; the
 * run with the median ready time is shown, with the spread of the runs.
 */
function measureBundleStart(kb: GeneratedKb, scratch: string, runs: number): BundleRow {
  const bundle = join(scratch, 'bundles', `${basename(kb.dir)}.json`);
  const write = work<BundleWriteResult>({ mode: 'bundle-write', kbDir: kb.dir, bundle });
  const opens: BundleOpenResult[] = [];
  for (let i = 0; i < runs; i++) opens.push(work<BundleOpenResult>({ mode: 'bundle-open', kbDir: kb.dir, bundle }));
  opens.sort((a, b) => a.readyMs - b.readyMs);
  return {
    write, open: opens[Math.floor(opens.length / 2)] as BundleOpenResult, runs,
    readyMs: { min: opens[0]?.readyMs ?? 0, max: opens[opens.length - 1]?.readyMs ?? 0 },
  };
}

function bundleTable(rows: readonly BundleRow[]): string {
  return table(
    ['entries', 'signatures', 'bundle KB', 'runs', 'read + hash ms', 'open ms', 'first paste ms', 'first question ms', 'ready ms (median)', 'ready ms min–max', 'peak RSS MB'],
    rows.map((r) => [String(r.write.entries), String(r.write.signatures), f0(r.write.bytes / 1024), String(r.runs), f0(r.open.hashMs), f0(r.open.openMs),
      f1(r.open.firstPasteMs), f1(r.open.firstQuestionMs), f0(r.open.readyMs), `${f0(r.readyMs.min)}–${f0(r.readyMs.max)}`, f0(r.open.peakRssMb)]),
  );
}

function bundleTargets(rows: readonly BundleRow[]): string[] {
  const big = rows.find((r) => r.write.entries >= 2000);
  if (!big) return [];
  return [`${verdict(big.open.readyMs < 1000)}: a ${big.write.entries}-entry KB ready from its bundle (open + first paste + first question) in under 1 s: ${f0(big.open.readyMs)} ms (median of ${big.runs}; module loading and Node's start not included)`];
}

function endpointTable(rows: readonly EndpointRun[]): string {
  return table(
    ['endpoint (20 KB paste)', 'connections', 'replies/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'],
    rows.map((r) => [r.endpoint, String(r.connections), f1(r.requestsPerSecond), f0(r.p50Ms), f0(r.p99Ms), String(r.requests), String(r.non2xx), String(r.errors)]),
  );
}

function mixTable(m: MixResult): string {
  return table(
    ['request', 'sent', 'answers', 'p50 ms', 'p99 ms'],
    m.kinds.map((k) => [k.kind, String(k.sent), Object.entries(k.statuses).map(([s, n]) => `${s}: ${n}`).join(', '),
      k.valid ? f0(percentile(k.latenciesMs, 50)) : '', k.valid ? f0(percentile(k.latenciesMs, 99)) : '']),
  );
}

/** The issue's targets, checked against the largest log measured. */
function targets(rows: readonly ThroughputRow[], memoryRow: ThroughputRow | undefined): string[] {
  const out: string[] = [];
  const largest = Math.max(...rows.map((r) => r.megabytes));
  const at = (sigs: number, mb = largest): ThroughputRow | undefined => rows.find((r) => r.kind === 'mixed' && r.signatures === sigs && r.megabytes === mb);
  const r500 = at(500);
  const r5000 = at(5000);
  if (r500?.rg) {
    const rg = rgSearchMbps(r500) as number;
    const match = mbps(r500.pipeline.bytes, r500.stages.ms);
    const pipe = mbps(r500.pipeline.bytes, r500.pipeline.ms);
    out.push(`${verdict(match >= rg)}: matching stage ≥ ripgrep at 500 signatures (${largest} MB): ${f1(match)} vs ${f1(rg)} MB/s (${ratio(match, rg)})`);
    out.push(`${verdict(pipe >= rg / 2)}: whole pipeline ≥ half of ripgrep at 500 signatures: ${f1(pipe)} vs ${f1(rg / 2)} MB/s (${ratio(pipe, rg)})`);
  } else out.push('n/a: ripgrep comparisons (ripgrep is not installed)');
  if (r5000?.rg) {
    const rg = rgSearchMbps(r5000) as number;
    const match = mbps(r5000.pipeline.bytes, r5000.stages.ms);
    const pipe = mbps(r5000.pipeline.bytes, r5000.pipeline.ms);
    out.push(`${verdict(pipe >= rg * 20)}: whole pipeline ≥ 20× ripgrep at 5,000 signatures: ${f1(pipe)} vs ${f1(rg)} MB/s (${ratio(pipe, rg)}; matching stage ${ratio(match, rg)})`);
  }
  const sizes = [...new Set(rows.filter((r) => r.kind === 'mixed').map((r) => r.megabytes))].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const small = sizes[sizes.length - 2] as number;
    const a = at(500, small);
    const b = at(500, largest);
    if (a && b) {
      const change = mbps(b.pipeline.bytes, b.pipeline.ms) / mbps(a.pipeline.bytes, a.pipeline.ms);
      out.push(`${verdict(change > 0.7)}: cost linear in log size: pipeline MB/s at ${largest} MB is ${ratio(change, 1)} that at ${small} MB${small < 10 ? ' (1 MB runs are dominated by JIT warm-up; --full compares 10 and 100 MB)' : ''}`);
    }
  }
  const s50 = at(50);
  if (s50 && r5000) {
    const growth = r5000.pipeline.ms / s50.pipeline.ms;
    const matchGrowth = r5000.stages.ms / s50.stages.ms;
    out.push(`${verdict(growth < 10)}: cost sublinear in signatures: 100× the signatures costs ${f1(growth)}× the pipeline time (${f1(matchGrowth)}× the matching stage)`);
  }
  if (memoryRow && memoryRow.megabytes < 100) {
    out.push(`n/a: memory under 3× the file's size is a target for 100 MB (run with --full); at ${memoryRow.megabytes} MB the log added ${f0(memoryRow.pipeline.peakRssMb - memoryRow.pipeline.baseRssMb)} MB to the ${f0(memoryRow.pipeline.baseRssMb)} MB of Node.js and the KB`);
  } else if (memoryRow) {
    const limit = memoryRow.megabytes * 3;
    out.push(`${verdict(memoryRow.pipeline.peakRssMb * 1.048576 < limit)}: memory for a ${memoryRow.megabytes} MB file under 3× its size: peak RSS ${f0(memoryRow.pipeline.peakRssMb)} MB (of which ${f0(memoryRow.pipeline.baseRssMb)} MB before the log was read)`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine: Machine = describeMachine();
  process.stdout.write(`# support-kb-bot benchmark\n\n${formatMachine(machine)}\nmode: ${args.full ? 'full (1, 10, 100 MB)' : args.quick ? 'quick (1, 10 MB)' : 'default (1, 10 MB)'}\n\n`);
  const scratch = process.env['BENCH_DATA_DIR'] ?? join(tmpdir(), 'support-kb-bot-bench');
  mkdirSync(scratch, { recursive: true });
  const sizes = args.full ? [1, 10, 100] : [1, 10];
  progress(`generating data in ${scratch} (reused by later runs)`);
  const kbs = SIGNATURES.map((n) => generateKb(scratch, n));
  const rg = args.rg && machine.ripgrep !== null;

  progress('start-up: building dist/ (npm run build), then the CLI and the server side by side with node -e 0');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const starts: StartRow[] = [...measureStartup(ROOT, args.quick ? 5 : 11), await measureServerStart(ROOT, args.quick ? 3 : 7)];
  process.stdout.write(`## Start-up: one code on the command line, and the server to its first /healthz

${startTable(starts)}

`);

  const rows: ThroughputRow[] = [];
  for (const mb of sizes) {
    const file = generateLog(scratch, 'mixed', mb);
    for (const kb of kbs) rows.push(measureThroughput(file, 'mixed', mb, kb, rg, scratch, args.quick));
  }
  process.stdout.write(`## Diagnosis throughput: mixed log (client CMTrace logs, IIS W3C, SMSTS.log), by KB size\n\n`);
  process.stdout.write('match = signature scan over extracted facts (Aho–Corasick prefilter + candidate conditions); extract = fact extraction;\n');
  process.stdout.write('pipeline = read, decode, split, parse, extract, match, rank, as the command line does. rg (search) = wall time less its pattern set-up\n(measured on an empty file); ratios are against it, or against the wall time where the search was too quick to separate (set-up bound).\n\n');
  process.stdout.write(throughputTable(rows) + '\n\n');

  const formatSize = args.quick ? 1 : 10;
  const kb500 = kbs[1] as GeneratedKb;
  const formatRows = LOG_KINDS.filter((k) => k !== 'mixed').map((kind) => measureThroughput(generateLog(scratch, kind, formatSize), kind, formatSize, kb500, rg, scratch, args.quick));
  process.stdout.write(`## By log format (${formatSize} MB, 500 signatures)\n\n${throughputTable(formatRows)}\n\n`);

  const kbRows: KbResult[] = [];
  for (const entries of ENTRIES_FOR_QUERIES) {
    progress(`KB of ${entries} entries: load, index, questions`);
    // Two signatures per entry here, so that 2,000 entries stay within the generated vocabulary.
    const kb = generateKb(scratch, entries * 2, 2);
    kbRows.push(work<KbResult>({ mode: 'kb', kbDir: kb.dir, questions: args.quick ? 200 : 500 }));
  }
  process.stdout.write(`## KB load, index build and prose questions (diagnoseText of a question; search = the full-text index alone)\n\n${kbTable(kbRows)}\n\n`);

  const bundleRows: BundleRow[] = [];
  for (const entries of ENTRIES_FOR_QUERIES) {
    progress(`KB of ${entries} entries: a start from its prebuilt bundle`);
    bundleRows.push(measureBundleStart(generateKb(scratch, entries * 2, 2), scratch, args.quick ? 3 : 5));
  }
  process.stdout.write(`## Start from the prebuilt bundle (a fresh process each run: read and hash the KB files, open the bundle, answer a first paste and a first question)\n\n${bundleTable(bundleRows)}\n\n`);

  let endpoints: EndpointRun[] = [];
  let mix: MixResult | undefined;
  let memory: { before: number; after: number } | undefined;
  if (args.server) {
    progress('server: starting it in a child process');
    const entryId = readdirSync(join(ROOT, 'kb', 'entries')).filter((n) => n.endsWith('.md')).sort()[0]?.replace(/\.md$/, '') ?? 'missing';
    const maxBodyBytes = 1024 * 1024;
    const server = await startServerProcess({ RATE_LIMIT_PER_MINUTE: '0', MAX_BODY_BYTES: String(maxBodyBytes) });
    try {
      progress(`server: replies per second at 1, 10, 50 connections (${args.quick ? 3 : 8} s each)`);
      endpoints = await benchEndpoints(server, args.quick ? 3 : 8, [1, 10, 50]);
      process.stdout.write(`## Server: replies per second on loopback (autocannon)\n\n${endpointTable(endpoints)}\n\n`);
      const seconds = args.quick ? 10 : 60;
      progress(`server: mixed load at 50 connections for ${seconds} s`);
      const before = await server.memory();
      mix = await runMixedLoad({ url: server.url, durationMs: seconds * 1000, connections: 50, entryId, maxBodyBytes, slowByteIntervalMs: args.quick ? 30 : 200 });
      const after = await server.memory();
      memory = { before: before.rssMb, after: after.rssMb };
      process.stdout.write(`## Server: mixed load, 50 connections, ${seconds} s (valid and malformed requests, one slow client)\n\n`);
      process.stdout.write(`${mix.requests} requests in ${f1(mix.durationMs / 1000)} s; server RSS after a full GC: ${f0(before.rssMb)} MB before, ${f0(after.rssMb)} MB after; slow client: ${mix.slowClient}\n`);
      process.stdout.write(`requests sent again after meeting a keep-alive socket the server had just closed (a client-side race): ${mix.staleSocketRetries}\n`);
      process.stdout.write(`rules broken: ${mix.violations.length === 0 ? 'none (no 5xx for valid requests; every malformed request got a 4xx without internals)' : mix.violations.join('; ')}\n\n`);
      process.stdout.write(mixTable(mix) + '\n\n');
    } finally {
      await server.stop();
    }
  }

  const memoryRow = rows.find((r) => r.megabytes === Math.max(...sizes) && r.signatures === 500);
  process.stdout.write(`## Targets\n\n${[...startTargets(starts), ...bundleTargets(bundleRows), ...targets(rows, memoryRow)].map((l) => `- ${l}`).join('\n')}\n`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ machine, args, rows, formatRows, kbRows, bundleRows, endpoints, mix: mix && { ...mix, kinds: mix.kinds.map((k) => ({ ...k, latenciesMs: undefined, p50Ms: percentile(k.latenciesMs, 50), p99Ms: percentile(k.latenciesMs, 99) })) }, memory }, null, 2));
    process.stdout.write(`\nfigures written to ${args.json}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
