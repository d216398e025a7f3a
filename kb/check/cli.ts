/**
 * `npm run kb:check`: lints every KB entry and the code tables, runs every entry's own
 * examples and proves every regex safe. Prints `file:line:column CODE message`, one per
 * problem; exits 1 when there is an error (warnings are listed but do not fail).
 */
import { KB_DIR, loadKbFromDir } from '../load-kb';
import { formatProblem } from '../problem';
import { checkExamples } from './examples';
import { regexProblems, regexSites } from './regex-problems';
import { checkRegexes, readVerdictCache, writeVerdictCache } from './regex-safety';

async function main(): Promise<number> {
  const loaded = loadKbFromDir(KB_DIR);
  const problems = [...loaded.problems];
  const sites = regexSites(loaded.entries);
  const cache = readVerdictCache(KB_DIR);
  const verdicts = await checkRegexes(sites.map((s) => s.source), cache);
  writeVerdictCache(KB_DIR, cache, new Set(sites.map((s) => s.source)));
  problems.push(...regexProblems(sites, verdicts));
  problems.push(...checkExamples(loaded));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  for (const p of problems) process.stdout.write(formatProblem(p) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  process.stdout.write(`kb:check: ${loaded.stats.entries} entries, ${loaded.stats.signatures} signatures, ${loaded.stats.codes} codes; ${errors} error(s), ${warnings} warning(s)\n`);
  return errors > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`kb:check: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 2;
});
