import type { LogRecord, PathFact } from '../types';

/**
 * URLs and file paths with their file name, extension and segments. KB articles write
 * placeholders such as `<Package_ID>` inside URLs, so angle brackets are kept.
 */
const URL = /\b(?:https?|mcs|ftp|file):\/\/[^\s"'|]+/gi;
const WINDOWS_PATH = /(?<![\w\\])(?:[a-z]:\\|\\\\[\w.$<>-]+\\)[^\s"'|*?]*/gi;
const SLASH_PATH = /(?<![\w:/.\\<>-])\/[^\s"'|/]+(?:\/[^\s"'|/]*)+/g;
const MAX_PATHS_PER_RECORD = 20;
const ANY_SPACE = /\s/;
const SEPARATORS = /[\\/]+/;
const EXTENSION = /^\.[a-z0-9_]{1,16}$/i;
const LETTER = /[a-z]/i;

export function extractPaths(record: LogRecord): PathFact[] {
  const out: PathFact[] = [];
  const text = record.text;
  const uri = record.format === 'iis' ? record.fields?.['uri'] : undefined;
  const hasScheme = text.includes('://');
  const hasBackslash = text.includes('\\');
  const hasSlash = record.format !== 'iis' && (hasScheme || text.includes('/'));
  // Most log lines name no path: nothing is allocated for them.
  if (uri === undefined && !hasScheme && !hasBackslash && !hasSlash) return out;
  const seen = new Set<string>();
  if (uri !== undefined) {
    // Current-branch content-library requests carry the file in the query: /SMS_DP_SMSPKG$/Content_<guid>.1/sccm?/setup.exe.config
    const query = record.fields?.['query'];
    if (query !== undefined && query.startsWith('/')) addPath(out, seen, query, 'url');
    addPath(out, seen, uri, 'url');
  }
  if (hasScheme) {
    URL.lastIndex = 0;
    for (let m = URL.exec(text); m !== null; m = URL.exec(text)) {
      if (out.length >= MAX_PATHS_PER_RECORD) return out;
      // Content-library URLs name the file in the query (…/sccm?/windows10.0-kb5031356-x64.cab): that file comes first.
      const queryPath = m[0].indexOf('?/');
      if (queryPath >= 0) addPath(out, seen, m[0].slice(queryPath + 1), 'url');
      addPath(out, seen, m[0], 'url');
    }
  }
  if (hasBackslash) {
    WINDOWS_PATH.lastIndex = 0;
    for (let m = WINDOWS_PATH.exec(text); m !== null; m = WINDOWS_PATH.exec(text)) {
      if (out.length >= MAX_PATHS_PER_RECORD) return out;
      addPath(out, seen, m[0], 'path');
    }
  }
  if (hasSlash) {
    SLASH_PATH.lastIndex = 0;
    for (let m = SLASH_PATH.exec(text); m !== null; m = SLASH_PATH.exec(text)) {
      if (out.length >= MAX_PATHS_PER_RECORD) return out;
      if (!seen.has(m[0]) && !isInsideUrl(text, m.index ?? 0)) addPath(out, seen, m[0], 'url');
    }
  }
  return out;
}

function addPath(out: PathFact[], seen: Set<string>, raw: string, kind: PathFact['kind']): void {
  const value = trimPunctuation(raw);
  if (value.length < 3 || seen.has(value) || out.length >= MAX_PATHS_PER_RECORD) return;
  seen.add(value);
  const fact = describePath(value, kind);
  if (fact) out.push(fact);
}

function isInsideUrl(text: string, at: number): boolean {
  const before = text.lastIndexOf('://', at);
  if (before < 0) return false;
  const gap = text.slice(before, at);
  return !ANY_SPACE.test(gap);
}

const TRAILING_PUNCTUATION = '.,;:)]}\'"!';
const LEADING_PUNCTUATION = '(\'"[';

/**
 * Trailing and leading punctuation off a path, by hand: the regex `[.,;:)\]}'"!]+$` tries
 * every position of a long run of dots that does not end the path, in quadratic time.
 */
function trimPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING_PUNCTUATION.includes(s.charAt(end - 1))) end--;
  let start = 0;
  while (start < end && LEADING_PUNCTUATION.includes(s.charAt(start))) start++;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function describePath(value: string, kind: PathFact['kind']): PathFact | undefined {
  let body = value;
  if (kind === 'url') {
    if (body.indexOf('://') > 0) body = body.replace(/^[a-z]+:\/\/[^/]*/i, '');
    const q = firstIndexOf(body, '?', '#');
    if (q >= 0) body = body.slice(0, q);
  }
  const segments: string[] = [];
  for (const s of body.split(SEPARATORS)) if (s.length > 0) segments.push(decodeSegment(s));
  if (segments.length === 0) return undefined;
  const last = body.charCodeAt(body.length - 1);
  const endsWithSlash = last === 47 || last === 92;
  const file = endsWithSlash ? '' : (segments[segments.length - 1] ?? '');
  return { value, kind, file, extension: extensionOf(file), segments };
}

export function extensionOf(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= 0 || dot === file.length - 1) return undefined;
  const ext = file.slice(dot).toLowerCase();
  return EXTENSION.test(ext) && LETTER.test(ext) ? ext : undefined;
}

function firstIndexOf(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  return i < 0 ? j : j < 0 ? i : Math.min(i, j);
}
