import { decodeCode } from '../codes/decode-code';
import type { KnowledgeBase } from '../knowledge';
import type { Diagnosis } from '../types';
import { chooseFamily, symptomAnswer } from './answer';
import { familyMatches } from './family-matches';

/**
 * The next turn of a family answer, from nothing but what the card's button carries: the
 * family, the answers given so far, the situations the paste established and the codes it
 * held. The server keeps no conversation state and never sees the paste again.
 */
export interface FollowUpState {
  family: string;
  /** Answers to follow-up questions, situation id → yes (true) / no (false). */
  answers: Record<string, boolean>;
  /** Situations the paste established. */
  seen: Record<string, boolean>;
  /** Error codes of the paste, as unsigned 32-bit values. */
  codes: number[];
}

const MAX_STATE_ITEMS = 40;

/**
 * Checks a follow-up state that came back from a client: a known family, known situations,
 * booleans and codes only. Returns the reason it is not valid, or undefined.
 */
export function followUpProblem(kb: KnowledgeBase, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the follow-up is not an object';
  const v = value as Record<string, unknown>;
  if (typeof v['family'] !== 'string' || !kb.symptoms.defs.families.some((f) => f.id === v['family'])) return 'the follow-up names a symptom family this KB does not have';
  for (const key of ['answers', 'seen'] as const) {
    const m = v[key];
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return `the follow-up's ${key} must be an object`;
    const entries = Object.entries(m);
    if (entries.length > MAX_STATE_ITEMS) return `the follow-up's ${key} has too many items`;
    for (const [k, b] of entries) {
      if (!kb.symptoms.situationIds.has(k)) return `the follow-up names an unknown situation "${k.slice(0, 60)}"`;
      if (typeof b !== 'boolean') return `the follow-up's ${key} values must be true or false`;
    }
  }
  const codes = v['codes'];
  if (!Array.isArray(codes) || codes.length > MAX_STATE_ITEMS || codes.some((c) => typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffffff)) {
    return 'the follow-up codes must be a short list of 32-bit numbers';
  }
  return undefined;
}

export function answerFollowUp(kb: KnowledgeBase, state: FollowUpState): Diagnosis {
  const families = kb.symptoms.defs.families;
  const index = families.findIndex((f) => f.id === state.family);
  if (index < 0) throw new Error(`support-kb-bot: unknown symptom family "${state.family}" (check with followUpProblem first)`);
  const answers = new Map(Object.entries(state.answers));
  const choice = chooseFamily({
    compiled: kb.symptoms,
    observations: { families: [{ index, records: 1, evidence: [] }], situations: new Map(Object.entries(state.seen)) },
    ranked: [],
    evidence: new Map(),
    relevance: new Map(),
    answers,
  });
  if (!choice) throw new Error(`support-kb-bot: family "${state.family}" has no candidates`);
  const symptom = symptomAnswer(choice, (i) => ({ id: kb.entries[i]?.id ?? '', title: kb.entries[i]?.title ?? '' }), new Map(Object.entries(state.seen)), answers);
  return {
    file: null,
    format: 'follow-up',
    lines: 0,
    matches: familyMatches(kb, choice, [], [], {}, 5),
    codes: [...new Set(state.codes)].map((c) => decodeCode(c, kb.codes)),
    facts: { http: [], files: [], events: [], packages: [], logs: [] },
    warnings: [],
    partial: false,
    symptom,
    offTopic: false,
  };
}
