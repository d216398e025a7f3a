import type { KnowledgeBase } from '../knowledge';
import type { RankResult } from '../rank';
import type { SignatureMatch } from '../signatures/scan';
import { toMatch } from '../to-match';
import type { Match } from '../types';
import type { FamilyChoice } from './answer';

/**
 * A family answer's matches: every candidate cause in the differential's order, all low,
 * with the lines that showed the symptom (or the member's own partial evidence); then any
 * other entry a signature found, lowered to low as well, since nothing here is proven.
 */
export function familyMatches(kb: KnowledgeBase, choice: FamilyChoice, ranked: RankResult['ranked'], signatures: readonly SignatureMatch[], extra: Record<string, string>, max: number): Match[] {
  const byEntry = new Map(ranked.map((r) => [r.entryIndex, r]));
  // The candidates most likely first, as many as any answer lists; the symptom lists them all.
  const out: Match[] = choice.differential.causes.slice(0, max).map((c) => {
    const own = byEntry.get(c.member.entryIndex);
    const hasSignature = own !== undefined && own.basis === 'signature';
    return toMatch(kb, c.member.entryIndex, {
      confidence: 'low',
      score: Math.round(c.share * 10000) / 100,
      evidence: hasSignature ? own.evidence : choice.evidence,
      values: { ...extra, ...(hasSignature ? own.values : {}) },
      basis: 'family',
    });
  });
  const members = new Set(choice.family.members.map((m) => m.entryIndex));
  const signatureEntries = new Set(signatures.map((s) => s.entryIndex));
  for (const r of ranked) {
    if (out.length >= max) break;
    if (members.has(r.entryIndex) || !signatureEntries.has(r.entryIndex) || r.basis !== 'signature') continue;
    out.push(toMatch(kb, r.entryIndex, { ...r, confidence: 'low', values: { ...extra, ...r.values } }));
  }
  return out;
}

