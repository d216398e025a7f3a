import type { SignatureMatch } from './signatures/scan';
import type { Confidence, Evidence } from './types';

/**
 * Orders KB entries: signature evidence first (declared confidence, then how specific and
 * how independent the evidence is), full-text relevance second. Entries found only by
 * full-text search are offered with low confidence, and only for prose questions.
 */
export interface RankedEntry {
  entryIndex: number;
  confidence: Confidence;
  score: number;
  evidence: Evidence[];
  values: Record<string, string>;
  basis: 'signature' | 'search' | 'code';
}

export interface RankInput {
  matches: readonly SignatureMatch[];
  /** Full-text relevance per entry index, scaled so the best is 1. */
  relevance: ReadonlyMap<number, number>;
  /** Offer entries that only full-text search found (the paste reads as a question). */
  includeSearchOnly: boolean;
  /**
   * Entries that look for an error code the paste contains but whose other evidence is
   * missing. When no entry fits with high confidence they are listed as low-confidence
   * alternatives: the same code has several causes, and the reader should see them.
   */
  codeAlternatives: ReadonlyMap<number, readonly Evidence[]>;
  maxResults: number;
}

const TIER: Readonly<Record<Confidence, number>> = { high: 3, medium: 2, low: 1 };
/** Points full-text relevance (scaled 0–1) adds to an entry found by its evidence: enough to break a tie, never to overturn evidence. */
export const RELEVANCE_WEIGHT = 5;
const MAX_EVIDENCE = 12;
/** Search-only results below this share of the best relevance are noise. */
const MIN_RELATIVE_RELEVANCE = 0.35;

export interface RankResult {
  ranked: RankedEntry[];
  warnings: string[];
  /** Two neighbours in the order are closer than full-text relevance could move them: relevance would change the answer. */
  nearTies: boolean;
}

export function rankEntries(input: RankInput): RankResult {
  const byEntry = new Map<number, SignatureMatch[]>();
  for (const m of input.matches) byEntry.set(m.entryIndex, [...(byEntry.get(m.entryIndex) ?? []), m]);
  const ranked: RankedEntry[] = [];
  for (const [entryIndex, list] of byEntry) {
    list.sort(compareMatches);
    const best = list[0] as SignatureMatch;
    const evidence = new Map<number, Evidence>();
    const values: Record<string, string> = {};
    for (const m of list) {
      for (const e of m.evidence) if (!evidence.has(e.line)) evidence.set(e.line, e);
      for (const [k, v] of Object.entries(m.values)) if (!(k in values)) values[k] = v;
    }
    const lines = [...evidence.values()].sort((a, b) => a.line - b.line);
    const relevance = input.relevance.get(entryIndex) ?? 0;
    const score = TIER[best.confidence] * 100 + best.specificity * 10 + Math.min(lines.length, 5) * 2
      + Math.min(list.length - 1, 3) * 3 + relevance * RELEVANCE_WEIGHT;
    ranked.push({ entryIndex, confidence: best.confidence, score: round(score), evidence: lines.slice(0, MAX_EVIDENCE), values, basis: 'signature' });
  }
  // A guess from words is noise next to an answer the evidence proves.
  if (input.includeSearchOnly && !ranked.some((r) => r.confidence === 'high')) {
    for (const [entryIndex, relevance] of input.relevance) {
      if (byEntry.has(entryIndex) || relevance < MIN_RELATIVE_RELEVANCE) continue;
      ranked.push({ entryIndex, confidence: 'low', score: round(relevance * 50), evidence: [], values: {}, basis: 'search' });
    }
  }
  if (!ranked.some((r) => r.confidence === 'high')) {
    for (const [entryIndex, lines] of input.codeAlternatives) {
      if (ranked.some((r) => r.entryIndex === entryIndex)) continue;
      const relevance = input.relevance.get(entryIndex) ?? 0;
      const evidence = [...lines].sort((a, b) => a.line - b.line).slice(0, MAX_EVIDENCE);
      ranked.push({ entryIndex, confidence: 'low', score: round(20 + Math.min(lines.length, 3) * 2 + relevance * RELEVANCE_WEIGHT), evidence, values: {}, basis: 'code' });
    }
  }
  ranked.sort((a, b) => b.score - a.score || a.entryIndex - b.entryIndex);
  let nearTies = false;
  for (let i = 1; i < ranked.length && i <= input.maxResults; i++) {
    if ((ranked[i - 1] as RankedEntry).score - (ranked[i] as RankedEntry).score < RELEVANCE_WEIGHT) nearTies = true;
  }
  const warnings: string[] = [];
  const [first, second] = ranked;
  if (first && second && first.basis === 'signature' && second.basis === 'signature'
    && first.confidence === 'high' && second.confidence === 'high' && first.score - second.score < 5) {
    first.confidence = 'medium';
    second.confidence = 'medium';
    warnings.push('The evidence fits more than one cause equally well: check the alternatives listed.');
  }
  return { ranked: ranked.slice(0, input.maxResults), warnings, nearTies };
}

function compareMatches(a: SignatureMatch, b: SignatureMatch): number {
  return TIER[b.confidence] - TIER[a.confidence] || b.specificity - a.specificity || b.evidenceLines - a.evidenceLines;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
