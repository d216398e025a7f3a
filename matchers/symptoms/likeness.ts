import type { FamilyDef } from './definition';

/**
 * Names a symptom family from the entries a question reads like, when no family's own
 * words, codes or logs are in it. "We send a package from the central site and the child
 * site never gets it" names no family phrase, yet the entries the full-text search finds
 * for it (the sender, the despooler, a child site's full drive) all belong to one family:
 * that family is the best short answer, offered as a family answer at low confidence with
 * its questions and what to paste next.
 *
 * Only a clear likeness counts, because naming a family for a text outside the domain is an
 * answer where none should be:
 * - the best entry must match strongly (lunr's score at least `MIN_TOP_SCORE`; a few
 *   shared ordinary words score well below it);
 * - the best entry must belong to the family;
 * - among the best `NEIGHBOURS` entries, weighted by their relevance scaled so the best is
 *   1, the family must weigh at least `MIN_LEAD` times as much as any other family.
 * The thresholds were set on the development half of the evaluation set (eval/cases/dev.yaml)
 * with 151 entries; docs/accuracy.md has the figures.
 */
export interface Likeness {
  /** Index of the family in the symptom definitions. */
  family: number;
  /** The family's weight among the neighbours (1 = the best entry alone). */
  weight: number;
}

export const NEIGHBOURS = 5;
export const MIN_TOP_SCORE = 12;
export const MIN_LEAD = 1.5;

/**
 * @param relevance entry index → full-text score as the index returned it (not scaled)
 * @param families the symptoms' families, whose members name entries by index
 */
export function familyByLikeness(relevance: ReadonlyMap<number, number>, families: readonly FamilyDef[]): Likeness | undefined {
  const best = [...relevance].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, NEIGHBOURS);
  const top = best[0];
  if (top === undefined || top[1] < MIN_TOP_SCORE) return undefined;
  const familiesOf = new Map<number, number[]>();
  families.forEach((f, index) => {
    for (const m of f.members) familiesOf.set(m.entryIndex, [...(familiesOf.get(m.entryIndex) ?? []), index]);
  });
  const weight = new Map<number, number>();
  for (const [entry, score] of best) {
    for (const f of familiesOf.get(entry) ?? []) weight.set(f, (weight.get(f) ?? 0) + score / top[1]);
  }
  const ordered = [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const [first, second] = ordered;
  if (first === undefined) return undefined;
  if (!(familiesOf.get(top[0]) ?? []).includes(first[0])) return undefined;
  if (second !== undefined && first[1] < MIN_LEAD * second[1]) return undefined;
  return { family: first[0], weight: first[1] };
}
