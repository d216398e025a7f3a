import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';

/**
 * Proves that every KB regex runs in linear time, with recheck (which finds polynomial
 * as well as exponential backtracking). Proofs take up to seconds per regex, so verdicts
 * are kept in `kb/regex-safety.json`, keyed by the regex itself: an edited regex is a new
 * key and is checked again. `npm run kb:check` refreshes the file; start-up only reads it
 * and checks what it does not hold.
 */
export type RegexStatus = 'safe' | 'vulnerable' | 'unknown';

export interface RegexVerdict {
  status: RegexStatus;
  complexity?: string;
  attack?: string;
}

export const REGEX_FLAGS = 'i';
export const REGEX_CACHE_FILE = 'regex-safety.json';

export function readVerdictCache(kbDir: string): Map<string, RegexVerdict> {
  try {
    const data = JSON.parse(readFileSync(join(kbDir, REGEX_CACHE_FILE), 'utf8')) as { verdicts?: Record<string, RegexVerdict> };
    return new Map(Object.entries(data.verdicts ?? {}));
  } catch {
    return new Map();
  }
}

/** Writes the verdicts of the regexes in `keep` (the KB's current ones); leaves the file alone when nothing changed. */
export function writeVerdictCache(kbDir: string, verdicts: ReadonlyMap<string, RegexVerdict>, keep: ReadonlySet<string>): void {
  const sorted = [...verdicts.entries()].filter(([k]) => keep.has(k)).sort(([a], [b]) => a.localeCompare(b));
  const body = {
    about: 'Verdicts of recheck on the regexes of kb/entries (flags "i"). Written by npm run kb:check; safe to delete.',
    verdicts: Object.fromEntries(sorted),
  };
  const text = JSON.stringify(body, null, 2) + '\n';
  const path = join(kbDir, REGEX_CACHE_FILE);
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) writeFileSync(path, text);
}

export async function checkRegexes(sources: readonly string[], cache: Map<string, RegexVerdict>, timeoutMs = 20000): Promise<Map<string, RegexVerdict>> {
  const out = new Map<string, RegexVerdict>();
  const todo = [...new Set(sources)].filter((s) => {
    const hit = cache.get(s);
    if (hit) out.set(s, hit);
    return !hit;
  });
  const results = await Promise.all(todo.map(async (source) => {
    const r = await check(source, REGEX_FLAGS, { timeout: timeoutMs });
    const verdict: RegexVerdict = { status: r.status };
    if (r.status === 'vulnerable') {
      verdict.complexity = r.complexity.type;
      verdict.attack = r.attack.pattern;
    }
    return [source, verdict] as const;
  }));
  for (const [s, v] of results) {
    out.set(s, v);
    cache.set(s, v);
  }
  return out;
}
