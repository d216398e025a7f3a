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
