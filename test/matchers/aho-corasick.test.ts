import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildAhoCorasick } from '../../matchers/signatures/aho-corasick';
import { referenceNeedleMatches as naive } from '../property/reference';

/**
 * The automaton fills a state's row of its table the first time a search reaches the
 * state, so one automaton answers many lines with rows filled by earlier ones. Each search
 * must still find exactly what a naive search finds, whatever the earlier lines filled.
 */

const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'é', 'É');
const word = (max: number): fc.Arbitrary<string> => fc.array(alphabet, { minLength: 0, maxLength: max }).map((a) => a.join(''));

describe('one Aho–Corasick automaton searched line after line', () => {
  test('every line gets exactly the needles a naive search finds in it', () => {
    fc.assert(fc.property(fc.array(word(6), { minLength: 1, maxLength: 15 }), fc.array(word(40), { minLength: 2, maxLength: 8 }), (needles, lines) => {
      const ac = buildAhoCorasick(needles.map((n, i) => [n, i] as const), { ignoreCase: true });
      for (const line of lines) {
        const got: number[] = [];
        ac.search(line, (p) => got.push(p));
        expect(got.sort((a, b) => a - b)).toEqual(naive(needles.map((n) => n.toLowerCase()), line.toLowerCase()));
      }
    }), { seed: 20261202, numRuns: 400 });
  });

  test('log phrases: a later line that goes deeper than the earlier ones still matches', () => {
    const ac = buildAhoCorasick([['hash mismatch', 'hash'], ['content hash', 'content'], ['mismatch', 'mismatch']] as const, { ignoreCase: true });
    const seen = (line: string): string[] => {
      const out: string[] = [];
      ac.search(line, (p, end) => out.push(`${p}@${end}`));
      return out;
    };
    expect(seen('Hash')).toEqual([]);
    expect(seen('CONTENT HASH MISMATCH for package PS100012')).toEqual(['content@12', 'hash@21', 'mismatch@21']);
    expect(seen('content hash mismatch')).toEqual(['content@12', 'hash@21', 'mismatch@21']);
    expect(seen('a mismatch of the content hash')).toEqual(['mismatch@10', 'content@30']);
  });
});
