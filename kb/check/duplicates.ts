import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * KB018: things written twice. A repeated condition or signature adds nothing and usually
 * means a copy-and-paste was not finished (the second copy was meant to say something else);
 * a repeated example tests nothing new; a text that is both a match and a no_match example
 * cannot be both.
 */
export function checkDuplicates(entries: readonly LoadedEntry[]): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    const warn = (path: (string | number)[], message: string): void => {
      problems.push({ file: entry.file, ...entry.locate(path), code: 'KB018', severity: 'warning', message });
    };
    const signatures = new Map<string, string>();
    entry.front.signatures.forEach((sig, i) => {
      for (const list of ['all', 'any', 'not'] as const) {
        const seen = new Set<string>();
        (sig[list] ?? []).forEach((c, j) => {
          const key = JSON.stringify(c);
          if (seen.has(key)) warn(['signatures', i, list, j], `signature "${sig.name}" lists the same condition twice in "${list}": remove one or finish editing it`);
          seen.add(key);
        });
      }
      const key = JSON.stringify([sig.scope ?? 'paste', sig.log ?? [], sig.severity ?? '', sig.all ?? [], sig.any ?? [], sig.not ?? []]);
      const other = signatures.get(key);
      if (other !== undefined) warn(['signatures', i], `signature "${sig.name}" has the same conditions as "${other}": remove one of them`);
      else signatures.set(key, sig.name);
    });
    const texts = new Map<string, string>();
    entry.front.examples.match.forEach((ex, i) => {
      const key = normalize(ex.text);
      const other = texts.get(key);
      if (other !== undefined) warn(['examples', 'match', i], `match example ${i + 1} repeats ${other}: remove it or change it to show a different way the problem is logged`);
      else texts.set(key, `match example ${i + 1}`);
    });
    entry.front.examples.no_match.forEach((text, i) => {
      const key = normalize(text);
      const other = texts.get(key);
      if (other !== undefined) warn(['examples', 'no_match', i], `no_match example ${i + 1} repeats ${other}: a text cannot be both; remove one`);
      else texts.set(key, `no_match example ${i + 1}`);
    });
  }
  return problems;
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}
