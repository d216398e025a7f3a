import { diagnoseText } from '../../matchers/diagnose';
import type { LoadedKb } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * Runs every entry's own examples, as semgrep runs `ruleid:`/`ok:` lines: a `match`
 * example must make the entry the top match (with the values it names in `expect`), a
 * `no_match` example must not produce the entry with high confidence.
 */
export function checkExamples(loaded: LoadedKb): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of loaded.entries) {
    const id = entry.front.id;
    entry.front.examples.match.forEach((ex, i) => {
      const d = diagnoseText(ex.text, loaded.kb);
      const top = d.matches[0];
      const at = entry.locate(['examples', 'match', i]);
      // An example proves the signatures: for an entry that has some, a hit of full-text search does not count.
      const hasSignatures = entry.front.signatures.length > 0;
      const counts = (m: { id: string; basis: string }): boolean => m.id === id && (!hasSignatures || m.basis === 'signature');
      if (!top || !counts(top)) {
        const own = d.matches.find(counts);
        const got = top ? `${top.id} (${top.confidence}, score ${top.score})` : 'nothing';
        const seen = !top ? 'nothing matched' : top.id === id ? 'it was found by full-text search only' : `the top match is ${got}`;
        problems.push({
          file: entry.file, ...at, code: 'KB007', severity: 'error',
          message: own
            ? `match example ${i + 1} does not make this entry the top match: the top match is ${got}; this entry ranks ${d.matches.indexOf(own) + 1} (${own.confidence}, score ${own.score}): make its signature more specific or add a "not" to the other entry`
            : `match example ${i + 1}: none of this entry's signatures fired on it (${seen}): check the conditions against the example text`,
        });
        return;
      }
      for (const [key, want] of Object.entries(ex.expect ?? {})) {
        const got = top.values[key];
        if (got !== want) {
          problems.push({
            file: entry.file, ...entry.locate(['examples', 'match', i, 'expect', key]), code: 'KB009', severity: 'error',
            message: `match example ${i + 1} should extract ${key} = "${want}" but extracted ${got === undefined ? 'nothing' : `"${got}"`}`,
          });
        }
      }
    });
    entry.front.examples.no_match.forEach((text, i) => {
      const d = diagnoseText(text, loaded.kb);
      const own = d.matches.find((m) => m.id === id);
      if (own && own.confidence === 'high') {
        problems.push({
          file: entry.file, ...entry.locate(['examples', 'no_match', i]), code: 'KB008', severity: 'error',
          message: `no_match example ${i + 1} produces this entry with high confidence (signature ${own.evidence[0]?.signature ?? '?'} on line ${own.evidence[0]?.line ?? '?'}): add a "not" condition or make the signature more specific`,
        });
      }
    });
  }
  return problems;
}
