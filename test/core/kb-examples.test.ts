import { describe, expect, test } from 'vitest';
import { diagnoseText } from '../../matchers/diagnose';
import { realKb } from '../helpers/kb';

/**
 * Every KB entry's own examples, run as test cases: a `match` text makes the entry the
 * top match (with the values its `expect` names); a `no_match` text never produces it
 * with high confidence.
 */
const loaded = realKb();

test('the KB loads without problems', () => {
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(loaded.entries.length).toBeGreaterThanOrEqual(30);
});

for (const entry of loaded.entries) {
  const { id, examples } = entry.front;
  describe(id, () => {
    examples.match.forEach((ex, i) => {
      test(`match example ${i + 1}`, () => {
        const d = diagnoseText(ex.text, loaded.kb);
        expect(d.matches[0]?.id, `top match for ${entry.file} match example ${i + 1}`).toBe(id);
        for (const [k, v] of Object.entries(ex.expect ?? {})) expect(d.matches[0]?.values[k]).toBe(v);
      });
    });
    examples.no_match.forEach((text, i) => {
      test(`no_match example ${i + 1}`, () => {
        const d = diagnoseText(text, loaded.kb);
        const own = d.matches.find((m) => m.id === id);
        expect(own?.confidence ?? 'absent').not.toBe('high');
      });
    });
  });
}

/**
 * Every symptom family's examples: a `match` text is recognised as the family (with the
 * cause its `first` names on top); a `no_match` text is not.
 */
for (const family of loaded.families) {
  const { id } = family.def;
  describe(`family ${id}`, () => {
    test('has at least two members, each with how to tell it apart', () => {
      expect(family.def.members.length).toBeGreaterThanOrEqual(2);
      for (const m of family.def.members) expect(m.confirm.length).toBeGreaterThan(20);
    });
    family.examples.match.forEach((ex, i) => {
      test(`match example ${i + 1}`, () => {
        const d = diagnoseText(ex.text, loaded.kb);
        expect(d.symptom?.id, `${family.file} match example ${i + 1}`).toBe(id);
        if (ex.first !== undefined) expect(d.symptom?.causes[0]?.id).toBe(ex.first);
        // A family answer offers candidates, never a confident one.
        if (d.matches[0]?.basis === 'family') expect(d.matches.every((m) => m.confidence === 'low')).toBe(true);
      });
    });
    family.examples.no_match.forEach((text, i) => {
      test(`no_match example ${i + 1}`, () => {
        expect(diagnoseText(text, loaded.kb).symptom?.id).not.toBe(id);
      });
    });
  });
}
