#!/usr/bin/env node
/**
 * The command line: `npm run --silent diagnose -- [--json] [FILE ...]`. A thin adapter:
 * it reads bytes, hands lines to the core's diagnosis session and prints the result.
 * Files are streamed, so a 100 MB log is never held whole.
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

const USAGE = `usage: npm run --silent diagnose -- [--json] [--max-bytes N] [FILE ...]
  Diagnoses ConfigMgr content-download failures from logs.
  FILE  a log file (CMTrace, SMSTS.log, IIS W3C, bitsadmin output, event-log text, prose);
        "-" or no FILE reads standard input.
  --json  one JSON object per input, one per line (JSON Lines)
  --max-bytes N  refuse inputs larger than N bytes (default 1 GB)
`;

interface Args {
  json: boolean;
  files: string[];
  maxBytes: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { json: false, files: [], maxBytes: 1024 ** 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--help' || a === '-h') return 'help';
    else if (a === '--max-bytes') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-bytes needs a positive whole number of bytes');
      args.maxBytes = n;
    } else if (a === '--') continue;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else args.files.push(a);
  }
  if (args.files.length === 0) args.files.push('-');
  return args;
}

async function diagnoseStream(stream: Readable, file: string | null, loaded: LoadedKb, maxBytes: number): Promise<Diagnosis> {
  const session = createDiagnosisSession(loaded.kb, { fileName: file });
  const decoder = createLineDecoder();
  let open = true;
  for await (const chunk of stream) {
    if (decoder.bytes + (chunk as Buffer).length > maxBytes) {
      stream.destroy();
      throw new InputError(`${file ?? 'standard input'} is larger than ${maxBytes} bytes; pass the part of the log around the failure or raise --max-bytes`);
    }
    for (const line of decoder.push(chunk as Buffer)) {
      if (open && !session.push(line)) open = false;
    }
    if (!open) {
      stream.destroy();
      break;
    }
  }
  if (open) for (const line of decoder.end()) if (!session.push(line)) break;
  return session.finish();
}

class InputError extends Error {}

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
  for (const f of args.files) {
    if (f === '-') continue;
    try {
      if (!statSync(f).isFile()) throw new Error('not a regular file');
    } catch (e) {
      process.stderr.write(`diagnose: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
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
  for (const f of args.files) {
    const name = f === '-' ? null : f;
    let d: Diagnosis;
    try {
      d = await diagnoseStream(f === '-' ? process.stdin : createReadStream(f), name, loaded, args.maxBytes);
    } catch (e) {
      if (e instanceof NotTextError || e instanceof InputError) {
        process.stderr.write(`diagnose: ${name ?? 'standard input'}: ${e.message}\n`);
        return 2;
      }
      process.stderr.write(`diagnose: cannot read ${name ?? 'standard input'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
    process.stdout.write(args.json ? JSON.stringify(d) + '\n' : renderTextReport(d));
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`diagnose: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
