import type { LogRecord, PathFact } from '../types';

/**
 * URLs and file paths with their file name, extension and segments. KB articles write
 * placeholders such as `<Package_ID>` inside URLs, so angle brackets are kept.
 */
const URL = /\b(?:https?|mcs|ftp|file):\/\/[^\s"'|]+/gi;
const WINDOWS_PATH = /(?<![\w\\])(?:[a-z]:\\|\\\\[\w.$<>-]+\\)[^\s"'|*?]*/gi;
const SLASH_PATH = /(?<![\w:/.\\<>-])\/[^\s"'|/]+(?:\/[^\s"'|/]*)+/g;
const MAX_PATHS_PER_RECORD = 20;

export function extractPaths(record: LogRecord): PathFact[] {
  const out: PathFact[] = [];
  const seen = new Set<string>();
  const add = (raw: string, kind: PathFact['kind']): void => {
    const value = trimPunctuation(raw);
    if (value.length < 3 || seen.has(value) || out.length >= MAX_PATHS_PER_RECORD) return;
    seen.add(value);
    const fact = describePath(value, kind);
    if (fact) out.push(fact);
  };
  const uri = record.fields?.['uri'];
  if (record.format === 'iis' && uri !== undefined) {
    // Current-branch content-library requests carry the file in the query: /SMS_DP_SMSPKG$/Content_<guid>.1/sccm?/setup.exe.config
    const query = record.fields?.['query'];
    if (query !== undefined && query.startsWith('/')) add(query, 'url');
    add(uri, 'url');
  }
  const text = record.text;
  if (text.includes('://')) for (const m of text.matchAll(URL)) add(m[0], 'url');
  if (text.includes('\\')) for (const m of text.matchAll(WINDOWS_PATH)) add(m[0], 'path');
  if (record.format !== 'iis' && text.includes('/')) {
    for (const m of text.matchAll(SLASH_PATH)) {
      if (!seen.has(m[0]) && !isInsideUrl(text, m.index ?? 0)) add(m[0], 'url');
    }
  }
  return out;
}

function isInsideUrl(text: string, at: number): boolean {
  const before = text.lastIndexOf('://', at);
  if (before < 0) return false;
  const gap = text.slice(before, at);
  return !/\s/.test(gap);
}

function trimPunctuation(s: string): string {
  return s.replace(/[.,;:)\]}'"!]+$/, '').replace(/^[('"[]+/, '');
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
    body = body.replace(/^[a-z]+:\/\/[^/]*/i, '');
    const q = body.search(/[?#]/);
    if (q >= 0) body = body.slice(0, q);
  }
  const segments = body.split(/[\\/]+/).filter((s) => s.length > 0).map(decodeSegment);
  if (segments.length === 0) return undefined;
  const endsWithSlash = /[\\/]$/.test(body);
  const file = endsWithSlash ? '' : (segments[segments.length - 1] ?? '');
  return { value, kind, file, extension: extensionOf(file), segments };
}

export function extensionOf(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= 0 || dot === file.length - 1) return undefined;
  const ext = file.slice(dot).toLowerCase();
  return /^\.[a-z0-9_]{1,16}$/i.test(ext) && /[a-z]/i.test(ext) ? ext : undefined;
}
