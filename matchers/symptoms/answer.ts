import type { RankedEntry } from '../rank';
import type { Confidence, Evidence, SymptomAnswer } from '../types';
import type { FamilyDef } from './definition';
import { differential, type Differential } from './differential';
import type { Likeness } from './likeness';
import type { CompiledSymptoms, FamilySighting, SymptomObservations } from './observe';

/**
 * Turns what the paste shows about symptoms into the answer's shape: which family to name,
 * its candidate causes in order, and whether the family leads the answer (the evidence
 * proves the symptom but not one cause) or stands beside a member that the evidence
 * proves. Pure: entry indexes in, entry indexes out; `diagnose.ts` fills in the texts.
 */
export interface FamilyChoice {
  family: FamilyDef;
  differential: Differential;
  /** The family leads: no entry's own evidence holds above low; every candidate is offered at low confidence. */
  leads: boolean;
  /** The lines that showed the symptom. */
  evidence: Evidence[];
  /** How the family was named: by what the paste shows, or only by the entries its words read like. */
  namedFrom: 'evidence' | 'likeness';
}

export interface ChooseInput {
  compiled: CompiledSymptoms;
  observations: Pick<SymptomObservations, 'families' | 'situations'>;
  /** Entries ranked from their signatures as today (best first). */
  ranked: readonly RankedEntry[];
  /** Best signature confidence per entry, from signatures only (not code alternatives or search). */
  evidence: ReadonlyMap<number, Confidence>;
  relevance: ReadonlyMap<number, number>;
  /** Answers to follow-up questions: they override what the paste said. */
  answers?: ReadonlyMap<string, boolean>;
  /** The family the text's words read like (`familyByLikeness`), used only when nothing else names one. */
  likeness?: Likeness;
}

export function chooseFamily(input: ChooseInput): FamilyChoice | undefined {
  const { compiled, observations } = input;
  const top = input.ranked[0];
  // An entry whose own signature holds at medium or better answers as an entry does; the
  // family leads only when the evidence names the symptom and nothing more.
  const proven = top !== undefined && top.confidence !== 'low' && top.basis === 'signature' ? top : undefined;
  const byLikeness = observations.families.length === 0 && !proven && input.likeness !== undefined;
  const sightings = byLikeness && input.likeness ? [{ index: input.likeness.family, records: 0, evidence: [] }] : observations.families;
  const families = compiled.defs.families;
  if (sightings.length === 0 && !proven) return undefined;
  const hasMember = (s: FamilySighting, entry: number): boolean => (families[s.index]?.members ?? []).some((m) => m.entryIndex === entry);
  let chosen: FamilySighting | undefined;
  if (proven) {
    // Context for a proven answer: only a family the proven cause belongs to; one the paste
    // shows, else the one the cause is most characteristic of (its largest share of the
    // family's weight), since the KB declares the cause produces that symptom.
    chosen = sightings.find((s) => hasMember(s, proven.entryIndex)) ?? familyOfEntry(families, proven.entryIndex);
    if (!chosen) return undefined;
  } else {
    const supported = (s: FamilySighting): number => {
      let n = 0;
      for (const [entry, c] of input.evidence) if (hasMember(s, entry)) n = Math.max(n, c === 'medium' ? 2 : c === 'high' ? 3 : 1);
      return n;
    };
    const priority = (s: FamilySighting): number => families[s.index]?.priority ?? 0;
    chosen = [...sightings].sort((a, b) => supported(b) - supported(a) || b.records - a.records || priority(b) - priority(a) || a.index - b.index)[0];
  }
  const family = chosen ? families[chosen.index] : undefined;
  if (!chosen || !family) return undefined;
  const known = new Map(observations.situations);
  for (const [k, v] of input.answers ?? []) known.set(k, v);
  const evidence = new Map(input.evidence);
  if (proven) evidence.set(proven.entryIndex, proven.confidence);
  const d = differential({ family, situations: compiled.defs.situations, known, evidence, relevance: input.relevance });
  if (proven) {
    // The proven cause heads the list whatever the priors say.
    const at = d.causes.findIndex((c) => c.member.entryIndex === proven.entryIndex);
    if (at > 0) d.causes.unshift(...d.causes.splice(at, 1));
  }
  if (byLikeness) {
    // Named only by the entries the words read like: those entries are the evidence, so they
    // come first, in the order the words fit them; the rest follow as the priors rank them.
    const rel = (entry: number): number => input.relevance.get(entry) ?? 0;
    d.causes.sort((a, b) => rel(b.member.entryIndex) - rel(a.member.entryIndex));
  }
  return { family, differential: d, leads: !proven, evidence: chosen.evidence, namedFrom: byLikeness ? 'likeness' : 'evidence' };
}

/** The family an entry is the most characteristic member of (its largest share of a family's weight), as a sighting with no lines. */
function familyOfEntry(families: readonly FamilyDef[], entry: number): FamilySighting | undefined {
  let best: { index: number; share: number } | undefined;
  families.forEach((f, index) => {
    const m = f.members.find((x) => x.entryIndex === entry);
    if (!m) return;
    const total = f.members.reduce((a, x) => a + x.weight, 0);
    const share = total > 0 ? m.weight / total : 0;
    if (best === undefined || share > best.share) best = { index, share };
  });
  return best ? { index: best.index, records: 0, evidence: [] } : undefined;
}

/** The JSON shape of a family answer; `titleOf` names an entry by index. */
export function symptomAnswer(
  choice: FamilyChoice,
  titleOf: (entryIndex: number) => { id: string; title: string },
  known: ReadonlyMap<string, boolean>,
  answers: ReadonlyMap<string, boolean> = new Map(),
): SymptomAnswer {
  const { family, differential: d } = choice;
  return {
    id: family.id,
    title: family.title,
    summary: family.summary,
    causes: d.causes.map((c) => ({ ...titleOf(c.member.entryIndex), confirm: c.member.confirm })),
    collect: family.collect,
    questions: choice.leads ? d.questions.map((q) => ({ situation: q.situation, ask: q.ask })) : [],
    known: Object.fromEntries(known),
    answers: Object.fromEntries(answers),
    ruledOut: d.ruledOut.map((m) => titleOf(m.entryIndex).id),
    namedFrom: choice.namedFrom,
  };
}
