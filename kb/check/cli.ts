/**
 * `npm run kb:check`: lints every KB entry and the code tables, proves every regex safe,
 * runs every entry's own examples and the baseline logs. Prints `file:line:column CODE
 * message`, one per problem, sorted; exits 1 when there is an error (warnings are listed
 * but do not fail), 2 when it cannot run. CONTRIBUTING.md explains every code.
 */
import { formatLine, type OutputFormat } from './format';
import { checkKnowledgeBaseFolder, type CheckOptions } from './run-check';

const USAGE = `usage: npm run kb:check -- [--kb DIR | --entries DIR] [--baseline DIR | --no-baseline] [--format text|github]
  Lints the KB and prints file:line:column CODE message for each problem (codes: CONTRIBUTING.md).
  --kb DIR        check another KB folder (entries/, and codes/, iis/, baseline/ when it has them)
  --entries DIR   check the entry files in DIR with the project's code tables and IIS defaults
  --baseline DIR  run the entries over the logs in DIR (default: test/fixtures/baseline)
  --no-baseline   skip the baseline logs
  --format github print GitHub annotations (::error file=...,line=...::message) instead of plain lines
                  (inside GitHub Actions both are printed unless --format is given)
  Exit status: 0 no errors (warnings allowed), 1 errors found, 2 could not run.
`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { options: CheckOptions; format: OutputFormat | 'both' } | 'help' {
  const options: CheckOptions = {};
  // In GitHub Actions, plain lines for the log and annotations for the pull request.
  let format: OutputFormat | 'both' = process.env['GITHUB_ACTIONS'] === 'true' ? 'both' : 'text';
  const value = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--kb') options.kbDir = value(++i, a);
    else if (a === '--entries') options.entriesDir = value(++i, a);
    else if (a === '--baseline') options.baselineDir = value(++i, a);
    else if (a === '--no-baseline') options.baselineDir = null;
    else if (a === '--format') {
      const f = value(++i, a);
      if (f !== 'text' && f !== 'github') throw new UsageError('--format is text or github');
      format = f;
    } else if (a === '--') continue;
    else throw new UsageError(`unknown argument ${a}`);
  }
  return { options, format };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kb:check: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { problems, loaded, baselineLogs } = await checkKnowledgeBaseFolder(args.options);
  for (const p of problems) {
    if (args.format !== 'github') process.stdout.write(formatLine(p, 'text') + '\n');
    if (args.format !== 'text') process.stdout.write(formatLine(p, 'github') + '\n');
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const s = loaded.stats;
  process.stdout.write(`kb:check: ${s.entries} entries, ${s.signatures} signatures, ${s.codes} codes, ${baselineLogs} baseline logs; ${errors} error(s), ${warnings} warning(s)\n`);
  if (errors > 0) process.stdout.write('kb:check: fix the errors above (each line names the file, line and what to change); CONTRIBUTING.md explains every code.\n');
  return errors > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`kb:check: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 2;
});
