#!/usr/bin/env node
/**
 * The command line: `npm run --silent diagnose -- [--json] [--top N] [--max-line-length N]
 * [--max-bytes N] [FILE ...]` (see USAGE). A thin adapter: it reads bytes, hands lines to
 * the core's diagnosis session and prints the result. Files are streamed, so a 100 MB log
 * is never held whole. Each file is answered on its own: one that cannot be read gets an
 * error in its place (exit status 1 when others were diagnosed, 2 when none was).
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createDiagnosisSession } from '../matchers/diagnose';
import { createLineDecoder, NotTextError } from '../matchers/line-decoder';
import type { Diagnosis } from '../matchers/types';
import type { LoadedKb } from '../kb/load-kb';
import { openKnowledgeBase } from '../kb/open-kb';
import { KbLoadError } from '../kb/problem';
import { renderTextReport } from './render-text';

const USAGE = `usage: npm run --silent diagnose -- [--json] [--top N] [--max-line-length N] [--max-bytes N] [FILE ...]
  Diagnoses ConfigMgr content-download failures from logs.
  FILE  a log file (CMTrace, SMSTS.log, IIS W3C, bitsadmin output, event-log text, prose);
        "-" or no FILE reads standard input. Each file is answered on its own: a file that
        cannot be read (missing, binary, too large) gets an error in its place and the
        others are still diagnosed. Runs of NUL bytes (padding after a crash) are read as
        line breaks.
  --json  one JSON object per input, one per line (JSON Lines); a file that could not be
          read gets {"file": "...", "error": "..."} in place of its diagnosis
  --top N  show the first N answers in full and the others one line each (default: the
           report's own layout); with --json, list at most N matches
  --max-line-length N  cut longer lines to N characters before matching (default 8192)
  --max-bytes N  refuse inputs larger than N bytes (default 1 GB)
  Exit status: 0 every input was diagnosed; 1 some inputs could not be read but the
  others were diagnosed; 2 a usage error, the KB could not be loaded, or no input could
  be read.
`;

interface Args {
  json: boolean;
  files: string[];
  maxBytes: number;
  top: number | undefined;
  maxLineLength: number | undefined;
}

class UsageError extends Error {}

function positive(argv: readonly string[], i: number, what: string): number {
  const raw = argv[i];
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(n) || n <= 0) throw new UsageError(`${argv[i - 1]} needs a positive whole number ${what}`);
  return n;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { json: false, files: [], maxBytes: 1024 ** 3, top: undefined, maxLineLength: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--help' || a === '-h') return 'help';
    else if (a === '--max-bytes') args.maxBytes = positive(argv, ++i, 'of bytes');
    else if (a === '--top') args.top = positive(argv, ++i, 'of answers');
    else if (a === '--max-line-length') args.maxLineLength = positive(argv, ++i, 'of characters');
    else if (a === '--') continue;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else args.files.push(a);
  }
  if (args.files.length === 0) args.files.push('-');
  return args;
}

async function diagnoseStream(stream: Readable, file: string | null, loaded: LoadedKb, args: Args): Promise<Diagnosis> {
  const { maxBytes, maxLineLength } = args;
  const session = createDiagnosisSession(loaded.kb, { fileName: file, ...(maxLineLength !== undefined ? { maxLineLength } : {}) });
  // The decoder keeps lines a little longer than the diagnosis reads, so that the
  // diagnosis still sees (and reports) which lines it cut.
  const decoder = createLineDecoder(maxLineLength !== undefined && maxLineLength >= 1 << 20 ? { maxLineChars: maxLineLength + 1 } : {});
  let open = true;
  try {
    for await (const chunk of stream) {
      if (decoder.bytes + (chunk as Buffer).length > maxBytes) {
        throw new InputError(`${file ?? 'standard input'} is larger than ${maxBytes} bytes; pass the part of the log around the failure or raise --max-bytes`);
      }
      for (const line of decoder.push(chunk as Buffer)) {
        if (open && !session.push(line)) open = false;
      }
      if (!open) break;
    }
    if (open) for (const line of decoder.end()) if (!session.push(line)) break;
  } finally {
    if (stream !== process.stdin) stream.destroy();
  }
  return session.finish();
}

class InputError extends Error {}

/** Why an input could not be diagnosed: `reason` for the report and JSON, `message` for stderr. */
interface InputFailure {
  file: string | null;
  reason: string;
  message: string;
}

function failure(file: string | null, e: unknown): InputFailure {
  const name = file ?? 'standard input';
  if (e instanceof NotTextError || e instanceof InputError) return { file, reason: e.message, message: `${name}: ${e.message}` };
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return { file, reason: `cannot read: ${why}`, message: `cannot read ${name}: ${why}` };
}

/** The answer for one input, or its error, as the chosen output writes it. */
function render(result: Diagnosis | InputFailure, args: Args): string {
  if ('reason' in result) {
    return args.json
      ? JSON.stringify({ file: result.file, error: result.reason }) + '\n'
      : `== ${result.file ?? '(standard input)'}: not diagnosed\n   error: ${result.reason}\n`;
  }
  if (args.json) return JSON.stringify(args.top !== undefined ? { ...result, matches: result.matches.slice(0, args.top) } : result) + '\n';
  return reportWithTop(result, args.top);
}

/**
 * The readable report with the first `top` answers in full and the others one line each.
 * Without --top it is the report as renderTextReport lays it out. A family answer, an
 * off-topic text and "nothing matched" have no answers to lay out, and are left as they are.
 */
function reportWithTop(d: Diagnosis, top: number | undefined): string {
  const report = renderTextReport(d);
  const first = d.matches[0];
  if (top === undefined || !first || d.offTopic || (d.symptom !== null && first.basis === 'family')) return report;
  const start = report.indexOf(`\n\n1. ${first.title}\n`);
  const end = d.codes.length > 0 ? report.lastIndexOf('\n\nError codes:\n') : report.length - 1;
  if (start < 0 || end < start) return report;
  const blocks = d.matches.map((m, i) => {
    // Each answer rendered on its own is rendered in full; only the symptom note of the first is kept.
    const alone = renderTextReport({ ...d, warnings: [], codes: [], matches: [m], symptom: i === 0 ? d.symptom : null, offTopic: false });
    const at = alone.indexOf(`\n\n1. ${m.title}\n`);
    const block = `\n\n${i + 1}. ` + alone.slice(at + 5, alone.length - 1);
    return i < top ? block : block.split('\n').slice(0, 4).join('\n');
  });
  return report.slice(0, start) + blocks.join('') + report.slice(end);
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`diagnose: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const opts = args;
  const missing = new Map<string, InputFailure>();
  for (const f of opts.files) {
    if (f === '-') continue;
    try {
      if (!statSync(f).isFile()) throw new Error('not a regular file');
    } catch (e) {
      missing.set(f, failure(f, e));
    }
  }
  const fail = (x: InputFailure): void => {
    process.stderr.write(`diagnose: ${x.message}\n`);
    process.stdout.write(render(x, opts));
  };
  // Nothing to read: say so without loading the KB.
  if (opts.files.every((f) => missing.has(f))) {
    for (const f of opts.files) fail(missing.get(f) as InputFailure);
    return 2;
  }
  let loaded: LoadedKb;
  try {
    loaded = await openKnowledgeBase(undefined, { notice: (m) => process.stderr.write(`diagnose: ${m}.\n`) });
  } catch (e) {
    if (e instanceof KbLoadError) {
      process.stderr.write(`${e.message}\nRun npm run kb:check for the full list.\n`);
      return 2;
    }
    throw e;
  }
  let diagnosed = 0;
  let failed = 0;
  for (const f of opts.files) {
    const name = f === '-' ? null : f;
    let result: Diagnosis | InputFailure | undefined = missing.get(f);
    if (result === undefined) {
      try {
        result = await diagnoseStream(f === '-' ? process.stdin : createReadStream(f), name, loaded, opts);
      } catch (e) {
        result = failure(name, e);
      }
    }
    if ('reason' in result) {
      failed++;
      fail(result);
    } else {
      diagnosed++;
      process.stdout.write(render(result, opts));
    }
  }
  if (failed === 0) return 0;
  return diagnosed > 0 ? 1 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`diagnose: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
