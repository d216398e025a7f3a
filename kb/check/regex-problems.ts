import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';
import type { RegexVerdict } from './regex-safety';

export interface RegexSite {
  entry: LoadedEntry;
  path: (string | number)[];
  source: string;
}

/** Every `regex:` condition of the KB that compiles (the others are KB005 already), with where it is written. */
export function regexSites(entries: readonly LoadedEntry[]): RegexSite[] {
  const sites: RegexSite[] = [];
  for (const entry of entries) {
    entry.front.signatures.forEach((s, i) => {
      for (const list of ['all', 'any', 'not'] as const) {
        (s[list] ?? []).forEach((c, j) => {
          if ('regex' in c && compiles(c.regex)) sites.push({ entry, path: ['signatures', i, list, j, 'regex'], source: c.regex });
        });
      }
    });
  }
  return sites;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

export function regexProblems(sites: readonly RegexSite[], verdicts: ReadonlyMap<string, RegexVerdict>): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const site of sites) {
    const v = verdicts.get(site.source);
    if (!v || v.status === 'safe') continue;
    const at = site.entry.locate(site.path);
    problems.push({
      file: site.entry.file, ...at, code: 'KB006', severity: 'error',
      message: v.status === 'vulnerable'
        ? `regex can backtrack catastrophically (${v.complexity ?? 'super-linear'} time, e.g. on ${JSON.stringify(v.attack ?? '').slice(0, 80)}): remove nested or adjacent quantifiers that can match the same text, or use a text condition`
        : 'regex could not be proved safe from catastrophic backtracking in time: simplify it (fewer quantifiers, no nested groups) or use a text condition',
    });
  }
  return problems;
}
