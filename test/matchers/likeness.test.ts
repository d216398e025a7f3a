import { describe, expect, test } from 'vitest';
import type { FamilyDef } from '../../matchers/symptoms/definition';
import { familyByLikeness, MIN_LEAD, MIN_TOP_SCORE } from '../../matchers/symptoms/likeness';

/** Two families over entries 0-7: entries 0-3 belong to "sending", 4-6 to "download", 7 to none; entry 3 to both. */
const member = (entryIndex: number) => ({ entryIndex, weight: 1, confirm: '', requires: [], favoredBy: [], disfavoredBy: [] });
const family = (id: string, entries: number[]): FamilyDef => ({
  id, title: id, summary: '', priority: 0,
  recognize: { codes: [], http: [], text: [], shared: [], prose: [], unless: [], failuresIn: [], failuresAbout: [] },
  members: entries.map(member), collect: [],
});
const families = [family('sending', [0, 1, 2, 3]), family('download', [3, 4, 5, 6])];
const scores = (pairs: [number, number][]): Map<number, number> => new Map(pairs);

describe('a family named by the entries a question reads like', () => {
  test('the best entries agree: their family is named, weighted by relevance', () => {
    const got = familyByLikeness(scores([[0, 30], [1, 24], [4, 9], [2, 6], [7, 5]]), families);
    expect(got?.family).toBe(0);
    expect(got?.weight).toBeCloseTo(1 + 0.8 + 0.2, 5);
  });

  test('a weak best match names nothing, however much the entries agree', () => {
    expect(familyByLikeness(scores([[0, MIN_TOP_SCORE - 0.5], [1, 8], [2, 7]]), families)).toBeUndefined();
  });

  test('the best entry outside the family names nothing (the question is about that entry, not the family)', () => {
    expect(familyByLikeness(scores([[7, 30], [0, 29], [1, 28], [2, 27]]), families)).toBeUndefined();
  });

  test('two families close together name neither', () => {
    // sending: 1 + 0.5; download: 0.9 + 0.5 → lead 1.07, below MIN_LEAD.
    expect(MIN_LEAD).toBeGreaterThan(1.1);
    expect(familyByLikeness(scores([[0, 20], [4, 18], [1, 10], [5, 10]]), families)).toBeUndefined();
  });

  test('an entry in two families counts for both; only the first five entries count', () => {
    const got = familyByLikeness(scores([[3, 20], [1, 19], [2, 18], [5, 2], [6, 2], [4, 19.5]]), families);
    // First five: 3 (both), 4 (download), 1, 2 (sending), 5 (download): sending 1+0.95+0.9, download 1+0.975+0.1.
    expect(got).toBeUndefined();
    expect(familyByLikeness(scores([[3, 20], [1, 19], [2, 18], [0, 17], [4, 2]]), families)?.family).toBe(0);
  });

  test('nothing found, or only zero scores, names nothing', () => {
    expect(familyByLikeness(new Map(), families)).toBeUndefined();
    expect(familyByLikeness(scores([[0, 0], [1, 0]]), families)).toBeUndefined();
  });
});
