import type { HttpFact, LogRecord, PathFact } from '../../matchers/types';
import { describePath } from '../../matchers/facts/paths';

/**
 * Straightforward versions of hot-path functions, kept as oracles: the fast versions in
 * matchers/ (prefilters, hand-written scanners, no look-behind) must find exactly what
 * these find. They use the plain regexes, including the forms that backtrack badly on
 * long runs of spaces, so they are only run on the short inputs of property tests.
 */

// The oracle for error codes lives in codes.property.test.ts, next to the rules it checks.

const PACKAGE_ID = /(?<![\w${-])([A-Z][A-Z0-9]{2}[0-9A-F]{5})(?![\w-])/g;

export function referencePackages(text: string): string[] {
  const packages: string[] = [];
  for (const m of text.matchAll(PACKAGE_ID)) {
    const id = m[1] as string;
    if (/\d/.test(id.slice(3)) && !packages.includes(id)) packages.push(id);
  }
  return packages;
}

const DOTTED = /(?<![\w.])([45]\d\d)\.(\d{1,3})(?!\w|\.\d)/g;
const PROSE = /\b(?:http(?:\/\d\.\d)?(?:\s+(?:status|error|response))?(?:\s+code)?|status\s+code|status)\s*[:=]?\s*([1-5]\d\d)(?!\w|\.\d)/gi;

/** HTTP statuses found in a plain-text record (the IIS-fields branch is not a scanner). */
export function referenceHttpInText(text: string): HttpFact[] {
  const out: HttpFact[] = [];
  if (!/\d\d\d/.test(text)) return out;
  for (const m of text.matchAll(DOTTED)) out.push({ status: Number(m[1]), substatus: Number(m[2]) });
  for (const m of text.matchAll(PROSE)) {
    const status = Number(m[1]);
    if (!out.some((h) => h.status === status)) out.push({ status });
  }
  return out;
}

const EVENT_ID_IN_TEXT = /\bevent(?:\s+id)?\s*[:#]?\s*(\d{1,6})\b/i;

export function referenceEventId(text: string): number | undefined {
  const m = EVENT_ID_IN_TEXT.exec(text);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

const URL = /\b(?:https?|mcs|ftp|file):\/\/[^\s"'|]+/gi;
const WINDOWS_PATH = /(?<![\w\\])(?:[a-z]:\\|\\\\[\w.$<>-]+\\)[^\s"'|*?]*/gi;
const SLASH_PATH = /(?<![\w:/.\\<>-])\/[^\s"'|/]+(?:\/[^\s"'|/]*)+/g;

export function referenceExtractPaths(record: LogRecord): PathFact[] {
  const out: PathFact[] = [];
  const seen = new Set<string>();
  const add = (raw: string, kind: PathFact['kind']): void => {
    const value = raw.replace(/[.,;:)\]}'"!]+$/, '').replace(/^[('"[]+/, '');
    if (value.length < 3 || seen.has(value) || out.length >= 20) return;
    seen.add(value);
    const fact = describePath(value, kind);
    if (fact) out.push(fact);
  };
  const uri = record.fields?.['uri'];
  if (record.format === 'iis' && uri !== undefined) {
    const query = record.fields?.['query'];
    if (query !== undefined && query.startsWith('/')) add(query, 'url');
    add(uri, 'url');
  }
  const text = record.text;
  if (text.includes('://')) for (const m of text.matchAll(URL)) add(m[0], 'url');
  if (text.includes('\\')) for (const m of text.matchAll(WINDOWS_PATH)) add(m[0], 'path');
  if (record.format !== 'iis' && text.includes('/')) {
    for (const m of text.matchAll(SLASH_PATH)) {
      const at = m.index ?? 0;
      const before = text.lastIndexOf('://', at);
      const inside = before >= 0 && !/\s/.test(text.slice(before, at));
      if (!seen.has(m[0]) && !inside) add(m[0], 'url');
    }
  }
  return out;
}

const ATTRIBUTE = /([a-z]+)="([^"]*)"/gi;

/** The attribute part of a CMTrace record read with one global regex. */
export function referenceCmtraceAttributes(tail: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tail.slice(0, 1000).matchAll(ATTRIBUTE)) {
    const key = m[1]?.toLowerCase();
    if (key !== undefined && m[2] !== undefined) attrs[key] = m[2];
  }
  return attrs;
}

/** Lines of a text, the obvious way. */
export function referenceLines(text: string): string[] {
  const out = text.split(/\r\n|\r|\n/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Every occurrence of every needle, found the slow way: one payload per match, sorted. */
export function referenceNeedleMatches(needles: readonly string[], haystack: string): number[] {
  const out: number[] = [];
  needles.forEach((n, payload) => {
    if (n.length === 0) return;
    for (let at = haystack.indexOf(n); at >= 0; at = haystack.indexOf(n, at + 1)) out.push(payload);
  });
  return out.sort((a, b) => a - b);
}
