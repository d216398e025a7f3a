import { checkExamples } from './check/examples';
import { regexProblems, regexSites } from './check/regex-problems';
import { checkRegexes, readVerdictCache } from './check/regex-safety';
import { buildKb, type LoadedKb } from './load-kb';
import type { KbSources } from './sources';

/**
 * The KB from its Markdown and YAML files, with the checks a start must not skip: regexes
 * proved linear (recheck, from the cached proofs where it can) and every entry's own
 * examples. Loaded only when there is no current bundle: it brings the YAML parser and
 * the regex prover with it.
 */
export async function loadCheckedKb(sources: KbSources, dir: string): Promise<LoadedKb> {
  const loaded = buildKb(sources);
  const sites = regexSites(loaded.entries);
  const verdicts = await checkRegexes(sites.map((s) => s.source), readVerdictCache(dir));
  loaded.problems.push(...regexProblems(sites, verdicts));
  if (!loaded.problems.some((p) => p.severity === 'error')) loaded.problems.push(...checkExamples(loaded));
  return loaded;
}
