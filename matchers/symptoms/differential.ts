import type { Confidence } from '../types';
import type { FamilyDef, FamilyMember, SituationDef } from './definition';

/**
 * The differential diagnosis of one symptom family: its member causes ranked by how common
 * they are, moved by what the paste (or the user's answers) says about the situation, and
 * the yes/no questions whose answers would best tell the remaining causes apart.
 *
 * Weights multiply: a prior times one factor per known situation a member refers to, times
 * a factor for the member's own (partial) evidence and for how well the words of a question
 * fit it. A member whose required situation is known not to hold is ruled out.
 */
export interface DifferentialInput {
  family: FamilyDef;
  situations: readonly SituationDef[];
  /** Situations established by the paste or by answers: true holds, false does not. */
  known: ReadonlyMap<string, boolean>;
  /** Best signature confidence of each entry that matched in this paste. */
  evidence: ReadonlyMap<number, Confidence>;
  /** Full-text relevance of entries to the paste's prose, scaled so the best is 1. */
  relevance: ReadonlyMap<number, number>;
}

export interface RankedCause {
  member: FamilyMember;
  /** Share of the remaining candidates' weight, 0–1. */
  share: number;
}

export interface FollowUpQuestion {
  situation: string;
  ask: string;
}

export interface Differential {
  causes: RankedCause[];
  ruledOut: FamilyMember[];
  questions: FollowUpQuestion[];
}

const REQUIRED_HOLDS = 20;
const FAVORED_HOLDS = 2.5;
const FAVORED_FAILS = 0.6;
const DISFAVORED_HOLDS = 0.25;
const DISFAVORED_FAILS = 1.3;
const EVIDENCE: Readonly<Record<Confidence, number>> = { high: 50, medium: 25, low: 3 };
const RELEVANCE = 1.5;
const MAX_QUESTIONS = 3;

function memberScore(m: FamilyMember, input: DifferentialInput): number | undefined {
  let score = m.weight;
  for (const s of m.requires) {
    const v = input.known.get(s);
    if (v === false) return undefined;
    if (v === true) score *= REQUIRED_HOLDS;
  }
  for (const s of m.favoredBy) {
    const v = input.known.get(s);
    if (v === true) score *= FAVORED_HOLDS;
    else if (v === false) score *= FAVORED_FAILS;
  }
  for (const s of m.disfavoredBy) {
    const v = input.known.get(s);
    if (v === true) score *= DISFAVORED_HOLDS;
    else if (v === false) score *= DISFAVORED_FAILS;
  }
  const e = input.evidence.get(m.entryIndex);
  if (e !== undefined) score *= EVIDENCE[e];
  score *= 1 + RELEVANCE * (input.relevance.get(m.entryIndex) ?? 0);
  return score;
}

export function differential(input: DifferentialInput): Differential {
  const scored: { member: FamilyMember; score: number; order: number }[] = [];
  const ruledOut: FamilyMember[] = [];
  input.family.members.forEach((member, order) => {
    const score = memberScore(member, input);
    if (score === undefined) ruledOut.push(member);
    else scored.push({ member, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const total = scored.reduce((a, s) => a + s.score, 0);
  const causes = scored.map((s) => ({ member: s.member, share: total > 0 ? s.score / total : 0 }));
  return { causes, ruledOut, questions: chooseQuestions(causes, input) };
}

/**
 * Questions about situations that some remaining causes refer to and that are not known
 * yet, best first: the one that splits the remaining weight most evenly tells the most.
 * A question every remaining cause refers to in the same way tells nothing.
 */
function chooseQuestions(causes: readonly RankedCause[], input: DifferentialInput): FollowUpQuestion[] {
  if (causes.length < 2) return [];
  const asks = new Map(input.situations.filter((s) => s.ask !== undefined).map((s) => [s.id, s.ask as string]));
  const affected = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  causes.forEach((c, rank) => {
    const m = c.member;
    for (const s of new Set([...m.requires, ...m.favoredBy, ...m.disfavoredBy])) {
      if (input.known.has(s) || !asks.has(s)) continue;
      affected.set(s, (affected.get(s) ?? 0) + c.share);
      if (!firstSeen.has(s)) firstSeen.set(s, rank);
    }
  });
  return [...affected.entries()]
    .map(([s, mass]) => ({ s, value: Math.min(mass, 1 - mass) + (mass >= 0.999 ? 0 : 0.001), rank: firstSeen.get(s) ?? 0 }))
    .filter((q) => q.value > 0.0015)
    .sort((a, b) => b.value - a.value || a.rank - b.rank)
    .slice(0, MAX_QUESTIONS)
    .map((q) => ({ situation: q.s, ask: asks.get(q.s) as string }));
}
