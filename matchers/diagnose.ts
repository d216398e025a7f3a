import { decodeCode } from './codes/decode-code';
import { clipEvidenceText } from './evidence-text';
import { extractFacts } from './facts/extract-facts';
import type { KnowledgeBase } from './knowledge';
import { createLogParser } from './parse/log-parser';
import { rankEntries, type RankResult } from './rank';
import { createScanner, type SignatureMatch } from './signatures/scan';
import { chooseFamily, symptomAnswer, type FamilyChoice } from './symptoms/answer';
import { familyMatches } from './symptoms/family-matches';
import { toMatch } from './to-match';
import { isOffTopic } from './symptoms/domain-gate';
import { familyByLikeness } from './symptoms/likeness';
import { createSymptomObserver } from './symptoms/observe';
import { isProse } from './prose-line';
import { splitLines } from './split-lines';
import type { Confidence, Diagnosis, Evidence, LogFormat, LogRecord, Match, RecordFacts, SymptomAnswer } from './types';

export interface DiagnoseOptions {
  /** Name of the file the text came from (helps tell which log plain lines belong to). */
  fileName?: string | null;
  /** Longer lines are cut to this many characters (default 8,192). */
  maxLineLength?: number;
  /** Lines after this many are not read (default: no limit). */
  maxLines?: number;
  /** Stop reading after this many milliseconds and answer from what was read (default: no limit). */
  timeBudgetMs?: number;
  /** Clock for the time budget; injectable so the core stays free of ambient state in tests. */
  now?: () => number;
  /** How many entries to return at most (default 5). */
  maxMatches?: number;
}

/** A diagnosis fed one line at a time, for files too large to hold as one string. */
export interface DiagnosisSession {
  /** Feeds one line; returns false once no more lines will be read (limit or time budget reached). */
  push(line: string): boolean;
  finish(): Diagnosis;
}

const MAX_CODES = 100;
const MAX_SUMMARY = 20;
const MAX_QUERY_CHARS = 3000;
/**
 * Breaking ties needs only the first error lines; a longer query costs the server more
 * than it changes the order (full-text search was a third of its CPU with 3,000 characters).
 */
const MAX_TIEBREAK_CHARS = 600;
const MAX_QUESTION_RECORDS = 20;
/** "Error 0x80040215 in ContentTransferManager, what is it?" is a question about a code; a longer text is more than that. */
const MAX_BARE_CODE_CHARS = 160;

export function diagnoseText(text: string, kb: KnowledgeBase, options: DiagnoseOptions = {}): Diagnosis {
  const session = createDiagnosisSession(kb, options);
  for (const line of splitLines(text)) if (!session.push(line)) break;
  return session.finish();
}

export function createDiagnosisSession(kb: KnowledgeBase, options: DiagnoseOptions = {}): DiagnosisSession {
  const maxLineLength = options.maxLineLength ?? 8192;
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? (() => performance.now());
  const deadline = options.timeBudgetMs !== undefined ? now() + options.timeBudgetMs : Number.POSITIVE_INFINITY;
  const parser = createLogParser({ fileName: options.fileName ?? undefined });
  const scanner = createScanner(kb.matchers);
  const symptoms = createSymptomObserver(kb.symptoms);
  /** Each failure code seen, with the first line it was seen on (evidence for entries that share the code). */
  const codes = new Map<number, Evidence>();
  const http = new Set<string>();
  const files = new Set<string>();
  const events = new Set<string>();
  const packages = new Set<string>();
  const logs = new Set<string>();
  let prose = '';
  let proseRecords = 0;
  let records = 0;
  let chars = 0;
  let notable = '';
  let cutLines = 0;
  let linesRead = 0;
  let stopped: 'lines' | 'time' | undefined;
  let work = 0;

  function take(record: LogRecord): void {
    records++;
    const facts = extractFacts(record);
    scanner.observe(record, facts);
    symptoms.observe(record, facts);
    summarize(record, facts);
  }

  function summarize(record: LogRecord, facts: RecordFacts): void {
    if (record.log !== undefined && logs.size < MAX_SUMMARY) logs.add(record.log);
    for (const c of facts.codes) {
      if (codes.size < MAX_CODES && !codes.has(c.value)) codes.set(c.value, { line: record.line, text: clipEvidenceText(record.text), signature: 'error-code' });
    }
    for (const h of facts.http) if (http.size < MAX_SUMMARY) http.add(h.substatus !== undefined ? `${h.status}.${h.substatus}` : String(h.status));
    for (const p of facts.paths) if (p.file && files.size < MAX_SUMMARY) files.add(p.file);
    for (const e of facts.events) if (events.size < MAX_SUMMARY) events.add(`${e.source ?? 'event'} ${e.id ?? ''}`.trim());
    for (const p of facts.packages) if (packages.size < MAX_SUMMARY) packages.add(p);
    // Prose only counts for short pastes (a question), so past MAX_QUESTION_RECORDS a line is
    // only tested for prose when it could still join the tie-break text.
    const mayBeNotable = (record.severity === 'error' || facts.codes.length > 0 || facts.http.length > 0) && notable.length < MAX_TIEBREAK_CHARS;
    const prosy = record.format === 'text' && (records <= MAX_QUESTION_RECORDS || mayBeNotable) && isProse(record.text);
    if (prosy) {
      proseRecords++;
      if (prose.length < MAX_QUERY_CHARS) prose += ' ' + record.text;
    } else if (mayBeNotable) {
      notable += ' ' + record.text;
    }
  }

  function push(line: string): boolean {
    if (stopped) return false;
    if (linesRead >= maxLines) {
      stopped = 'lines';
      return false;
    }
    // The clock is read after every 256 units of work: a line is one unit, and every
    // 256 characters of it one more, so long lines do not stretch the check interval.
    if (work >= 256) {
      work = 0;
      if (now() > deadline) {
        stopped = 'time';
        return false;
      }
    }
    linesRead++;
    chars += line.length;
    let l = line;
    if (l.length > maxLineLength) {
      cutLines++;
      l = l.slice(0, maxLineLength);
    }
    work += 1 + (l.length >> 8);
    for (const r of parser.push(l)) take(r);
    return true;
  }

  function finish(): Diagnosis {
    for (const r of parser.end()) take(r);
    const signatureMatches = scanner.finish();
    const observations = symptoms.result();
    const entriesHit = new Set(signatureMatches.map((m) => m.entryIndex));
    // Full-text answers are for questions and short pastes; a whole log that matched
    // nothing gets "nothing matched", not a guess from words it happens to contain.
    const askingInProse = prose.trim().length > 0 && records <= MAX_QUESTION_RECORDS
      && (proseRecords * 2 > records || entriesHit.size === 0);
    const codeAlternatives = new Map<number, Evidence[]>();
    for (const [value, seen] of codes) {
      for (const e of kb.matchers.entriesByCode.get(value) ?? []) codeAlternatives.set(e, [...(codeAlternatives.get(e) ?? []), seen]);
    }
    const rankWith = (relevance: ReadonlyMap<number, number>): RankResult => rankEntries({
      matches: signatureMatches,
      relevance,
      includeSearchOnly: askingInProse,
      codeAlternatives,
      maxResults: options.maxMatches ?? 5,
    });
    // Full-text relevance answers prose questions, and breaks ties between entries that the
    // evidence cannot tell apart; it is only computed when it can change the order.
    const found = askingInProse ? kb.search(prose.slice(0, MAX_QUERY_CHARS)) : new Map<number, number>();
    const relevance = scaled(found);
    let result = rankWith(relevance);
    // When the symptom will lead (no entry's own evidence above low), the order of the
    // entries is the family's, and a tie-break search would change nothing.
    const top = result.ranked[0];
    const familyLeads = observations.families.length > 0 && !(top !== undefined && top.basis === 'signature' && top.confidence !== 'low');
    if (!askingInProse && !familyLeads && result.nearTies && notable.trim().length > 0) {
      result = rankWith(scaled(kb.search(notable.slice(0, MAX_TIEBREAK_CHARS))));
    }
    const choice = chooseFamily({
      compiled: kb.symptoms,
      observations,
      ranked: result.ranked,
      evidence: bestConfidence(signatureMatches),
      relevance,
      // Words name a family only when nothing else speaks: no family seen, no entry's own
      // signature (even a low one is more specific than words), and no `unless` phrase
      // placing the paste in another step than getting content.
      likeness: observations.families.length === 0 && signatureMatches.length === 0 && observations.vetoed.length === 0
        ? familyByLikeness(found, kb.symptoms.defs.families) : undefined,
    });
    // An empty paste is not off-topic; it is empty, and says so as "nothing matched".
    const offTopic = records > 0 && chars > 0 && isOffTopic(observations, {
      familySeen: observations.families.length > 0,
      signatureMatch: signatureMatches.some((m) => m.confidence !== 'low'),
      provenMatch: signatureMatches.some((m) => m.confidence === 'high'),
      anyCode: codes.size > 0,
      domainCode: [...codes.keys()].some(isDomainCode),
      configMgrCode: [...codes.keys()].some((v) => v >= 0x87d00000 && v < 0x87d30000),
      bareCode: codes.size > 0 && records <= 3 && chars <= MAX_BARE_CODE_CHARS,
      searchHit: askingInProse && relevance.size > 0,
    });
    const firstPackage = packages.values().next().value;
    const extra: Record<string, string> = firstPackage !== undefined ? { package: firstPackage } : {};
    let matches: Match[];
    let symptom: SymptomAnswer | null = null;
    const notes = [...result.warnings];
    if (offTopic) {
      matches = [];
    } else {
      matches = result.ranked.map((r) => toMatch(kb, r.entryIndex, { ...r, values: { ...extra, ...r.values } }));
      if (choice) {
        symptom = symptomAnswer(choice, (i) => ({ id: kb.entries[i]?.id ?? '', title: kb.entries[i]?.title ?? '' }), knownOf(choice, observations.situations));
        if (choice.leads) matches = familyMatches(kb, choice, result.ranked, signatureMatches, extra, options.maxMatches ?? 5);
      }
    }
    if (cutLines > 0) notes.push(`${cutLines} line(s) longer than ${maxLineLength} characters were cut to that length before matching.`);
    if (stopped === 'lines') notes.push(`Only the first ${linesRead} lines were read (the limit is ${maxLines}); attach the part of the log around the failure.`);
    if (stopped === 'time') notes.push(`Reading stopped after ${linesRead} lines because the time budget ran out; this answer covers only those lines.`);
    return {
      file: options.fileName ?? null,
      format: dominantFormat(parser.formatCounts),
      lines: linesRead,
      matches,
      codes: [...codes.keys()].map((v) => decodeCode(v, kb.codes)),
      facts: {
        http: [...http],
        files: [...files],
        events: [...events],
        packages: [...packages],
        logs: [...logs],
      },
      warnings: notes,
      partial: stopped === 'time',
      symptom,
      offTopic,
      // The gate puts a text with a foreign marker out only when nothing of the domain outweighs it.
      ...(offTopic && observations.foreignTerm !== undefined ? { otherProduct: observations.foreignTerm } : {}),
    };
  }

  return { push, finish };
}

function bestConfidence(matches: readonly SignatureMatch[]): Map<number, Confidence> {
  const order: Readonly<Record<Confidence, number>> = { high: 3, medium: 2, low: 1 };
  const out = new Map<number, Confidence>();
  for (const m of matches) {
    const had = out.get(m.entryIndex);
    if (had === undefined || order[m.confidence] > order[had]) out.set(m.entryIndex, m.confidence);
  }
  return out;
}

function knownOf(choice: FamilyChoice, situations: ReadonlyMap<string, boolean>): Map<string, boolean> {
  // Only situations this family's causes refer to: the rest say nothing about this answer.
  const relevant = new Set(choice.family.members.flatMap((m) => [...m.requires, ...m.favoredBy, ...m.disfavoredBy]));
  return new Map([...situations].filter(([k]) => relevant.has(k)));
}

/** ConfigMgr (0x87D0–0x87D2xxxx), BITS (0x8020xxxx, 0x8019xxxx), WinHTTP (0x80072EE0–0x80072FFF) and Delivery Optimization (0x80D0xxxx) codes. */
function isDomainCode(value: number): boolean {
  return (value >= 0x87d00000 && value < 0x87d30000) || (value >= 0x80190000 && value < 0x80210000) || (value >= 0x80072ee0 && value <= 0x80072fff)
    || (value >= 0x80d00000 && value < 0x80d10000);
}

function scaled(scores: ReadonlyMap<number, number>): Map<number, number> {
  let max = 0;
  for (const s of scores.values()) max = Math.max(max, s);
  const out = new Map<number, number>();
  if (max <= 0) return out;
  for (const [k, s] of scores) out.set(k, s / max);
  return out;
}

function dominantFormat(counts: ReadonlyMap<LogFormat, number>): string {
  let total = 0;
  const structured: [LogFormat, number][] = [];
  for (const [f, n] of counts) {
    total += n;
    if (f !== 'text') structured.push([f, n]);
  }
  if (structured.length === 0) return 'text';
  structured.sort((a, b) => b[1] - a[1]);
  const [top] = structured;
  if (!top) return 'text';
  const structuredTotal = structured.reduce((a, [, n]) => a + n, 0);
  if (structured.length === 1 || top[1] >= structuredTotal * 0.8) return top[0];
  return total > 0 ? 'mixed' : 'text';
}

