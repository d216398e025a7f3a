/**
 * Scoring of one evaluation case against the diagnosis the bot gave, and the URLs the KB
 * already uses (for the contamination check). Used by eval/run.ts.
 */
import type { LoadedKb } from '../kb/load-kb';
import type { Diagnosis, Match } from '../matchers/types';
import { documentKey, type CaseKind, type Half, type LoadedCase } from './cases';

/** What the bot answered for one case, and how that scores. */
export interface CaseResult {
  id: string;
  half: Half;
  kind: CaseKind;
  source: string;
  expected: { entry: string | null; family: string | null; words: string[] };
  got: { top3: { id: string; confidence: string; basis: string }[]; symptom: string | null; offTopic: boolean };
  top1: boolean;
  top3: boolean;
  /** null when the case expects no family. */
  family: boolean | null;
  /** null for off-topic cases (their words describe the cause, not an answer). */
  words: boolean | null;
  /** Off-topic cases only: a match above low confidence or a symptom answer was given. */
  answeredAboveLow: boolean | null;
  ms: number;
}

const aboveLow = (m: Match): boolean => m.confidence === 'high' || m.confidence === 'medium';

export function scoreCase(c: LoadedCase, d: Diagnosis, ms: number): CaseResult {
  const { entry, family, words } = c.expect;
  const symptomId = d.symptom?.id ?? null;
  const anyAboveLow = d.matches.some(aboveLow);
  let top1: boolean;
  let top3: boolean;
  if (entry !== null) {
    top1 = d.matches[0]?.id === entry;
    top3 = d.matches.slice(0, 3).some((m) => m.id === entry);
  } else {
    // No entry holds the established cause: right when the bot names the family (or, with
    // no family, no symptom) and offers no entry above low confidence.
    top1 = symptomId === family && !anyAboveLow;
    top3 = top1;
  }
  const offTopic = c.kind === 'off-topic';
  return {
    id: c.id,
    half: c.half,
    kind: c.kind,
    source: c.source,
    expected: { entry, family, words },
    got: {
      top3: d.matches.slice(0, 3).map((m) => ({ id: m.id, confidence: m.confidence, basis: m.basis })),
      symptom: symptomId,
      offTopic: d.offTopic,
    },
    top1,
    top3,
    family: family === null ? null : symptomId === family,
    words: offTopic ? null : wordsFound(words, answerText(d)),
    answeredAboveLow: offTopic ? anyAboveLow || d.symptom !== null : null,
    ms,
  };
}

/** The text of the top answer: the first match, or the symptom family when that is what the bot answers with. */
export function answerText(d: Diagnosis): string {
  const parts: string[] = [];
  const top = d.matches[0];
  if (top) parts.push(top.title, top.cause, ...top.resolution);
  if (d.symptom && (!top || top.basis === 'family')) {
    parts.push(d.symptom.title, d.symptom.summary, ...d.symptom.causes.flatMap((x) => [x.title, x.confirm]));
  }
  return parts.join('\n');
}

export function wordsFound(words: readonly string[], text: string): boolean {
  const t = text.toLowerCase();
  return words.every((w) => t.includes(w.toLowerCase()));
}

/** Every URL an entry links (front-matter links, URLs in the body) or takes a question from. */
export function kbUrls(loaded: LoadedKb): Map<string, string[]> {
  const urls = new Map<string, string[]>();
  const add = (url: string, entryId: string): void => {
    const key = documentKey(url);
    const list = urls.get(key) ?? [];
    if (!list.includes(entryId)) list.push(entryId);
    urls.set(key, list);
  };
  for (const e of loaded.entries) {
    const id = e.front.id;
    for (const l of e.front.links ?? []) if (l?.url) add(l.url, id);
    for (const q of e.front.questions ?? []) if (q?.source) add(q.source, id);
    for (const m of e.text.matchAll(/https?:\/\/[^\s)>\]"'`]+/g)) add(m[0].replace(/[.,;:]+$/, ''), id);
  }
  return urls;
}
