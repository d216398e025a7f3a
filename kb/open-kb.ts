import { checkExamples } from './check/examples';
import { regexProblems, regexSites } from './check/regex-problems';
import { checkRegexes, readVerdictCache } from './check/regex-safety';
import { KB_DIR, loadKbFromDir, type LoadedKb } from './load-kb';
import { KbLoadError } from './problem';

/**
 * Loads the KB for the bot and the command line, and refuses a KB that fails its
 * check: schema errors, regexes that can backtrack catastrophically, or entries whose
 * own examples do not hold. Throws KbLoadError listing every error with file and line.
 */
export async function openKnowledgeBase(dir: string = KB_DIR): Promise<LoadedKb> {
  const loaded = loadKbFromDir(dir);
  const sites = regexSites(loaded.entries);
  const verdicts = await checkRegexes(sites.map((s) => s.source), readVerdictCache(dir));
  loaded.problems.push(...regexProblems(sites, verdicts));
  if (!loaded.problems.some((p) => p.severity === 'error')) loaded.problems.push(...checkExamples(loaded));
  if (loaded.problems.some((p) => p.severity === 'error')) throw new KbLoadError(loaded.problems);
  return loaded;
}
