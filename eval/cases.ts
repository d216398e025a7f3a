/**
 * The evaluation set: real text from public sources (forum questions, blog posts,
 * Microsoft troubleshooting articles, GitHub issues), each with the cause its source
 * established. Two halves:
 *
 *   eval/cases/dev.yaml      development half: engineers may read it while writing entries
 *   eval/cases/heldout.yaml  held-out half: only scored, never used to write entries
 *
 * A case goes to the half that `halfForUrl` gives its source URL (first byte of
 * sha1(normalized URL) even → dev), except that a case whose source the KB already
 * links, or quotes, goes to dev. Every case of one URL is in the same half. See
 * eval/README.md.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const KINDS = ['question', 'code', 'line', 'paste', 'off-topic'] as const;
export type CaseKind = (typeof KINDS)[number];

/**
 * Symptom family ids: the files of kb/families/ (kb/families/README.md), read here so that a
 * family added to the KB can be expected by a case without editing this list.
 */
export const FAMILY_IDS: readonly string[] = readdirSync(fileURLToPath(new URL('../kb/families/', import.meta.url)))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

export const HALVES = ['dev', 'heldout'] as const;
export type Half = (typeof HALVES)[number];

export interface EvalCase {
  id: string;
  kind: CaseKind;
  source: string;
  source_title: string;
  cause: string;
  expect: {
    entry: string | null;
    family: string | null;
    words: string[];
  };
  text: string;
}

export interface LoadedCase extends EvalCase {
  half: Half;
}

export const EVAL_DIR = fileURLToPath(new URL('.', import.meta.url));
export const CASE_FILES: Record<Half, string> = {
  dev: fileURLToPath(new URL('./cases/dev.yaml', import.meta.url)),
  heldout: fileURLToPath(new URL('./cases/heldout.yaml', import.meta.url)),
};
export const ID_PREFIX: Record<Half, string> = { dev: 'dev-', heldout: 'ho-' };

const CASE_KEYS = ['id', 'kind', 'source', 'source_title', 'cause', 'expect', 'text'];
const EXPECT_KEYS = ['entry', 'family', 'words'];

/**
 * The URL as a comparison key: no scheme, no `www.`, no query or #anchor, no trailing
 * slash, lower case, `docs.microsoft.com` read as `learn.microsoft.com` and a locale
 * segment (`/en-us/`) dropped on Microsoft's sites, so that the same page spelled two
 * ways is one page.
 */
export function normalizeUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z]+:\/\//, '');
  u = u.replace(/[?#].*$/, '');
  const slash = u.indexOf('/');
  const host = (slash < 0 ? u : u.slice(0, slash)).replace(/^www\./, '').replace(/\.$/, '').replace(/:(80|443)$/, '');
  u = host + (slash < 0 ? '' : u.slice(slash));
  u = u.replace(/^docs\.microsoft\.com\//, 'learn.microsoft.com/');
  if (/^(learn|support|technet|msdn|social\.technet)\.microsoft\.com\//.test(u)) {
    u = u.replace(/^([^/]+)\/[a-z]{2}-[a-z]{2,4}(?=\/)/, '$1');
  }
  u = u.replace(/\/+$/, '');
  return u;
}

/**
 * The document a URL names, for the contamination check: Microsoft serves the same
 * Configuration Manager page under several paths (`/mem/configmgr/`, `/intune/configmgr/`,
 * `/troubleshoot/mem/configmgr/` and its `/intune/` twin).
 */
export function documentKey(url: string): string {
  return normalizeUrl(url)
    .replace(/^learn\.microsoft\.com\/(troubleshoot\/)?(?:mem|intune)\/configmgr\//, 'learn.microsoft.com/$1configmgr/');
}

/** The half a source URL belongs to by hash alone: first byte of sha1(normalized URL) even → dev. */
export function halfForUrl(url: string): Half {
  const digest = createHash('sha1').update(normalizeUrl(url)).digest();
  return (digest[0]! & 1) === 0 ? 'dev' : 'heldout';
}

export interface CaseProblem {
  half: Half;
  index: number;
  id?: string;
  message: string;
}

/** Validates one parsed YAML file; returns the cases that are well formed and every problem found. */
export function validateCaseList(data: unknown, half: Half): { cases: LoadedCase[]; problems: CaseProblem[] } {
  const problems: CaseProblem[] = [];
  const cases: LoadedCase[] = [];
  if (!Array.isArray(data)) {
    problems.push({ half, index: -1, message: 'the file must be a YAML list of cases' });
    return { cases, problems };
  }
  data.forEach((raw, index) => {
    const fail = (message: string): void => {
      const id = isObj(raw) && typeof raw.id === 'string' ? raw.id : undefined;
      problems.push({ half, index, ...(id ? { id } : {}), message });
    };
    if (!isObj(raw)) return fail('a case must be a mapping');
    for (const k of Object.keys(raw)) if (!CASE_KEYS.includes(k)) fail(`unknown key "${k}"`);
    const { id, kind, source, source_title, cause, expect, text } = raw;
    let ok = true;
    const bad = (message: string): void => {
      ok = false;
      fail(message);
    };
    if (typeof id !== 'string' || !new RegExp(`^${ID_PREFIX[half]}\\d{3,}$`).test(id)) bad(`id must look like ${ID_PREFIX[half]}NNN in ${half}.yaml`);
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) bad(`kind must be one of ${KINDS.join(', ')}`);
    if (typeof source !== 'string' || !/^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/.test(source)) bad('source must be an https URL');
    if (typeof source_title !== 'string' || source_title.trim() === '') bad('source_title must be a non-empty string');
    if (typeof cause !== 'string' || cause.trim() === '') bad('cause must be a non-empty string');
    if (typeof text !== 'string' || text.trim() === '') bad('text must be a non-empty string');
    if (!isObj(expect)) {
      bad('expect must be a mapping with entry, family and words');
    } else {
      for (const k of Object.keys(expect)) if (!EXPECT_KEYS.includes(k)) bad(`unknown key "expect.${k}"`);
      if (!(expect.entry === null || (typeof expect.entry === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(expect.entry)))) bad('expect.entry must be an entry id or null');
      if (!(expect.family === null || (typeof expect.family === 'string' && FAMILY_IDS.includes(expect.family)))) {
        bad(`expect.family must be null or one of ${FAMILY_IDS.join(', ')}`);
      }
      if (!Array.isArray(expect.words) || expect.words.length < 1 || expect.words.length > 3 || !expect.words.every((w) => typeof w === 'string' && w.trim() !== '')) {
        bad('expect.words must list 1 to 3 non-empty words or phrases');
      }
      if (kind === 'off-topic' && (expect.entry !== null || expect.family !== null)) bad('an off-topic case expects entry: null and family: null');
    }
    if (!ok) return;
    cases.push({
      id: id as string,
      kind: kind as CaseKind,
      source: source as string,
      source_title: source_title as string,
      cause: cause as string,
      expect: {
        entry: (expect as Record<string, unknown>).entry as string | null,
        family: (expect as Record<string, unknown>).family as string | null,
        words: (expect as Record<string, unknown>).words as string[],
      },
      text: text as string,
      half,
    });
  });
  return { cases, problems };
}

/** Checks that span both halves: unique ids, no URL in both halves. */
export function crossCheck(cases: readonly LoadedCase[]): CaseProblem[] {
  const problems: CaseProblem[] = [];
  const ids = new Map<string, LoadedCase>();
  const urls = new Map<string, Half>();
  cases.forEach((c, index) => {
    const other = ids.get(c.id);
    if (other) problems.push({ half: c.half, index, id: c.id, message: `id ${c.id} is used twice` });
    ids.set(c.id, c);
    const key = normalizeUrl(c.source);
    const half = urls.get(key);
    if (half && half !== c.half) problems.push({ half: c.half, index, id: c.id, message: `source ${c.source} has cases in both halves` });
    if (!half) urls.set(key, c.half);
  });
  return problems;
}

export interface LoadedCases {
  cases: LoadedCase[];
  problems: CaseProblem[];
}

export function loadCases(files: Record<Half, string> = CASE_FILES): LoadedCases {
  const cases: LoadedCase[] = [];
  const problems: CaseProblem[] = [];
  for (const half of HALVES) {
    let data: unknown;
    try {
      data = YAML.parse(readFileSync(files[half], 'utf8'));
    } catch (e) {
      problems.push({ half, index: -1, message: `cannot read ${files[half]}: ${(e as Error).message}` });
      continue;
    }
    const r = validateCaseList(data, half);
    cases.push(...r.cases);
    problems.push(...r.problems);
  }
  problems.push(...crossCheck(cases));
  return { cases, problems };
}

export function formatCaseProblem(p: CaseProblem): string {
  return `eval/cases/${p.half}.yaml${p.index >= 0 ? ` case ${p.index + 1}` : ''}${p.id ? ` (${p.id})` : ''}: ${p.message}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
