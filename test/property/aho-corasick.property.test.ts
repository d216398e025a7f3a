import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildAhoCorasick } from '../../matchers/signatures/aho-corasick';
import { referenceNeedleMatches as naive } from './reference';
import { options } from './settings';


function found(needles: readonly string[], haystack: string, ignoreCase: boolean): number[] {
  const ac = buildAhoCorasick(needles.map((n, i) => [n, i] as const), { ignoreCase });
  const out: number[] = [];
  ac.search(haystack, (p) => out.push(p));
  return out.sort((a, b) => a - b);
}

// A small alphabet, so that needles overlap, nest and repeat; with case and non-ASCII letters.
const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'é', 'É', 'İ', 'ß', '\ud800');
const word = (max: number): fc.Arbitrary<string> => fc.array(alphabet, { minLength: 0, maxLength: max }).map((a) => a.join(''));

describe('Aho–Corasick finds exactly what a naive search finds', () => {
  test('case-sensitive: every occurrence of every needle, overlapping and nested', () => {
    fc.assert(fc.property(fc.array(word(5), { maxLength: 12 }), word(60), (needles, haystack) => {
      expect(found(needles, haystack, false)).toEqual(naive(needles, haystack));
    }), options(400));
  });

  test('ignoreCase: the same as searching the lower-cased text for the lower-cased needles', () => {
    fc.assert(fc.property(fc.array(word(5), { maxLength: 12 }), word(60), (needles, haystack) => {
      expect(found(needles, haystack, true)).toEqual(naive(needles.map((n) => n.toLowerCase()), haystack.toLowerCase()));
    }), options(400));
  });

  test('no needles, empty needles and empty haystacks report nothing', () => {
    fc.assert(fc.property(fc.array(fc.constant(''), { maxLength: 3 }), word(20), (needles, haystack) => {
      expect(found(needles, haystack, true)).toEqual([]);
      expect(found(['abc'], '', true)).toEqual([]);
    }), options(50));
  });
});
