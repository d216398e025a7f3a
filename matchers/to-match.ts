import type { KnowledgeBase } from './knowledge';
import { fillTemplate } from './template';
import type { Match } from './types';

/** An entry's answer for the JSON shape, with the values extracted from the paste filled in. */
export function toMatch(kb: KnowledgeBase, entryIndex: number, r: Pick<Match, 'confidence' | 'score' | 'evidence' | 'values' | 'basis'>): Match {
  const entry = kb.entries[entryIndex];
  if (!entry) throw new Error(`support-kb-bot: ranked entry ${entryIndex} is not in the KB`);
  return {
    id: entry.id,
    title: entry.title,
    confidence: r.confidence,
    score: r.score,
    cause: fillTemplate(entry.cause, r.values),
    resolution: entry.resolution.map((step) => fillTemplate(step, r.values)),
    links: entry.links,
    evidence: r.evidence,
    values: r.values,
    basis: r.basis,
  };
}

