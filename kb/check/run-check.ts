import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildKb, KB_DIR, readKbSources, type LoadedKb, type SourceFile } from '../load-kb';
import { decodeLogBytes } from '../../matchers/decode-text';
import type { KbProblem } from '../problem';
import { ALLOW_LIST_FILE, checkBaseline, NOT_BASELINE_LOGS, parseAllowList, type AllowList, type BaselineLog } from './baseline';
import { checkSignatureCodes } from './code-coverage';
import { checkDuplicates } from './duplicates';
import { checkExamples } from './examples';
import { checkFamilies } from './families';
import { sortProblems } from './format';
import { checkCutValues } from './cut-values';
import { checkLeftovers } from './leftovers';
import { checkPlaceholders } from './placeholders';
import { regexProblems, regexSites } from './regex-problems';
import { checkRegexes, readVerdictCache, REGEX_CACHE_FILE, writeVerdictCache } from './regex-safety';
import { checkWeakSignatures } from './weak-signatures';

/**
 * Everything `npm run kb:check` does, as a function the linter's own tests call: load the
 * KB (schema, ids, code tables), prove its regexes safe, run each entry's examples, look
 * for weak signatures, unfilled placeholders, unknown codes, duplicates and leftover TODOs,
 * and run every entry over the baseline logs.
 */
export const PROJECT_ROOT = resolve(KB_DIR, '..');
export const DEFAULT_BASELINE_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'baseline');

export interface CheckOptions {
  /**
   * A KB folder: `entries/` and, when present, its own `codes/`, `iis/` and `baseline/`
   * (missing ones are taken from the project's KB and baseline). Default: the project's `kb/`.
   */
  kbDir?: string;
  /** A folder of entry files to check instead of `<kbDir>/entries`, with the codes and IIS data of kbDir. */
  entriesDir?: string;
  /** Baseline logs folder; `null` skips the baseline check. Default: `<kbDir>/baseline` if present, else test/fixtures/baseline. */
  baselineDir?: string | null;
  /** Keep recheck verdicts in `<kbDir>/regex-safety.json` (default true, except with entriesDir). */
  writeRegexCache?: boolean;
  /**
   * How long recheck may take to prove one new regex safe before it counts as unknown (KB006).
   * Longer than at start-up: the proof runs once per new regex and is then cached.
   */
  regexTimeoutMs?: number;
}

export interface CheckResult {
  /** Sorted by file, line and column. */
  problems: KbProblem[];
  loaded: LoadedKb;
  baselineLogs: number;
}

export async function checkKnowledgeBaseFolder(options: CheckOptions = {}): Promise<CheckResult> {
  const kbDir = resolve(options.kbDir ?? KB_DIR);
  const isProjectKb = kbDir === resolve(KB_DIR) && options.entriesDir === undefined;
  const own = readKbSources(kbDir, label(kbDir));
  const shared = kbDir === resolve(KB_DIR) ? own : readKbSources(KB_DIR, label(KB_DIR));
  const sources = {
    entries: options.entriesDir !== undefined ? readEntryFiles(resolve(options.entriesDir)) : own.entries,
    codes: existsSync(join(kbDir, 'codes')) ? own.codes : shared.codes,
    iis: existsSync(join(kbDir, 'iis')) ? own.iis : shared.iis,
    // Families name entries: a folder of other entries (a fixture, a draft) is checked without the project's families.
    families: existsSync(join(kbDir, 'families')) ? own.families : isProjectKb ? shared.families : [],
    situations: existsSync(join(kbDir, 'situations.yaml')) ? own.situations : shared.situations,
    domain: existsSync(join(kbDir, 'domain.yaml')) ? own.domain : shared.domain,
  };
  const loaded = buildKb(sources);
  const problems: KbProblem[] = [...loaded.problems];

  const sites = regexSites(loaded.entries);
  const cache = readVerdictCache(kbDir);
  const verdicts = await checkRegexes(sites.map((s) => s.source), cache, options.regexTimeoutMs ?? 60_000);
  const keepCache = (options.writeRegexCache ?? options.entriesDir === undefined) && (sites.length > 0 || existsSync(join(kbDir, REGEX_CACHE_FILE)));
  if (keepCache) writeVerdictCache(kbDir, cache, new Set(sites.map((s) => s.source)));
  problems.push(...regexProblems(sites, verdicts));
  problems.push(...checkExamples(loaded));
  problems.push(...checkFamilies(loaded));
  problems.push(...checkWeakSignatures(loaded.entries));
  problems.push(...checkSignatureCodes(loaded.entries, loaded.kb.codes));
  problems.push(...checkPlaceholders(loaded.entries));
  problems.push(...checkDuplicates(loaded.entries));
  problems.push(...checkLeftovers(loaded.entries));
  problems.push(...checkCutValues(loaded.entries));

  let baselineLogs = 0;
  const ownBaseline = join(kbDir, 'baseline');
  const baselineDir = options.baselineDir === null ? null
    : resolve(options.baselineDir ?? (existsSync(ownBaseline) ? ownBaseline : DEFAULT_BASELINE_DIR));
  if (baselineDir !== null) {
    const logs = readBaselineLogs(baselineDir, problems);
    baselineLogs = logs.length;
    const allow = readAllowList(baselineDir, problems);
    // A test KB that borrows the shared baseline does not hold the entries its allow-list names.
    const reportUnknownEntries = isProjectKb || baselineDir !== DEFAULT_BASELINE_DIR;
    problems.push(...checkBaseline(loaded, logs, allow, { reportUnknownEntries }));
  }
  return { problems: sortProblems(problems), loaded, baselineLogs };
}

/** A path as problems show it: relative to the project root, with forward slashes. */
export function label(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  const shown = rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return shown.split(sep).join('/').replace(/\/$/, '');
}

function readEntryFiles(dir: string): SourceFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.md')).sort();
  } catch (e) {
    throw new Error(`kb:check: cannot read the entries folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return names.map((n) => ({ name: label(join(dir, n)), text: readFileSync(join(dir, n), 'utf8') }));
}

/** The logs of a baseline folder (everything but its README and allow-list). */
export function readBaselineLogs(dir: string, problems: KbProblem[]): BaselineLog[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    problems.push({ file: label(dir), line: 1, column: 1, code: 'KB017', severity: 'error', message: `the baseline folder cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): restore it or pass --baseline <dir>` });
    return [];
  }
  return names
    .filter((n) => !NOT_BASELINE_LOGS.has(n) && !n.startsWith('.') && statSync(join(dir, n)).isFile())
    .map((n) => ({ name: n, label: label(join(dir, n)), bytes: readFileSync(join(dir, n)) }));
}

/**
 * The baseline logs as text (undecodable ones left out): what `kb:new` and `kb:review` keep
 * out of the signatures they propose, so that a draft does not fire on a healthy log.
 */
export function readBaselineTexts(dir: string = DEFAULT_BASELINE_DIR): string[] {
  return readBaselineLogs(dir, [])
    .map((log) => decodeLogBytes(log.bytes))
    .flatMap((d) => (d.ok ? [d.text] : []));
}

function readAllowList(dir: string, problems: KbProblem[]): AllowList {
  const path = join(dir, ALLOW_LIST_FILE);
  if (!existsSync(path)) return { label: label(path), items: [] };
  return parseAllowList(readFileSync(path, 'utf8'), label(path), problems);
}
