import { logForComponent } from '../parse/log-names';
import { clipEvidenceText } from '../evidence-text';
import { isProse } from '../prose-line';
import { buildAhoCorasick, type AhoCorasick } from '../signatures/aho-corasick';
import type { Evidence, HttpFact, LogRecord, RecordFacts } from '../types';
import type { SymptomDefinitions } from './definition';
import { proseHttp } from './prose';

/**
 * Reads a paste for symptoms rather than causes: which symptom families it shows, which
 * situations it establishes (multicast, a pull DP, a fix already tried), and whether it
 * speaks of the domain at all. One Aho–Corasick pass per record finds every phrase of
 * every family, situation and vocabulary list; codes and HTTP statuses come from the facts
 * the signature scan already extracted.
 */

type Phrase =
  | { kind: 'family'; index: number }
  | { kind: 'family-shared'; index: number }
  | { kind: 'family-prose'; index: number }
  | { kind: 'family-failure'; index: number }
  | { kind: 'family-veto'; index: number }
  | { kind: 'situation'; id: string }
  | { kind: 'strong' | 'technology' | 'weak' | 'foreign' };

interface PhraseHit {
  phrase: Phrase;
  length: number;
}

export interface CompiledSymptoms {
  readonly defs: SymptomDefinitions;
  readonly phrases: AhoCorasick<PhraseHit>;
  /** Error code → families it names. */
  readonly familyCodes: ReadonlyMap<number, readonly number[]>;
  /** Error code → situations it establishes. */
  readonly situationCodes: ReadonlyMap<number, readonly string[]>;
  /** Every situation id, for checking what a follow-up button carries. */
  readonly situationIds: ReadonlySet<string>;
  /** HTTP status → the families and situations it names (with a substatus, only that one). */
  readonly httpWatch: ReadonlyMap<number, readonly HttpWatch[]>;
  /** Lower-case log name → families whose symptom any failure in that log is. */
  readonly failureLogs: ReadonlyMap<string, readonly number[]>;
}

interface HttpWatch {
  substatus?: number;
  family?: number;
  situation?: string;
}

export function compileSymptoms(defs: SymptomDefinitions): CompiledSymptoms {
  const needles: [string, PhraseHit][] = [];
  const add = (text: string, phrase: Phrase): void => {
    const t = text.trim().toLowerCase();
    if (t.length > 0) needles.push([t, { phrase, length: t.length }]);
  };
  defs.families.forEach((f, index) => {
    for (const t of f.recognize.text) add(t, { kind: 'family', index });
    for (const t of f.recognize.shared) add(t, { kind: 'family-shared', index });
    for (const t of f.recognize.prose) add(t, { kind: 'family-prose', index });
    for (const t of f.recognize.failuresAbout) add(t, { kind: 'family-failure', index });
    for (const t of f.recognize.unless) add(t, { kind: 'family-veto', index });
  });
  for (const s of defs.situations) for (const t of s.phrases) add(t, { kind: 'situation', id: s.id });
  for (const t of defs.domain.strong) add(t, { kind: 'strong' });
  for (const t of defs.domain.technology) add(t, { kind: 'technology' });
  for (const t of defs.domain.weak) add(t, { kind: 'weak' });
  for (const t of defs.domain.foreign) add(t, { kind: 'foreign' });
  const familyCodes = new Map<number, number[]>();
  defs.families.forEach((f, index) => { for (const c of f.recognize.codes) familyCodes.set(c, [...(familyCodes.get(c) ?? []), index]); });
  const situationCodes = new Map<number, string[]>();
  for (const s of defs.situations) for (const c of s.codes) situationCodes.set(c, [...(situationCodes.get(c) ?? []), s.id]);
  const httpWatch = new Map<number, HttpWatch[]>();
  const watch = (h: HttpFact, w: HttpWatch): void => {
    httpWatch.set(h.status, [...(httpWatch.get(h.status) ?? []), h.substatus !== undefined ? { ...w, substatus: h.substatus } : w]);
  };
  defs.families.forEach((f, family) => { for (const h of f.recognize.http) watch(h, { family }); });
  for (const st of defs.situations) for (const h of st.http) watch(h, { situation: st.id });
  const failureLogs = new Map<string, number[]>();
  defs.families.forEach((f, index) => {
    for (const name of f.recognize.failuresIn) {
      const key = name.toLowerCase();
      failureLogs.set(key, [...(failureLogs.get(key) ?? []), index]);
    }
  });
  return {
    defs,
    httpWatch,
    failureLogs,
    phrases: buildAhoCorasick(needles, { ignoreCase: true }),
    familyCodes,
    situationCodes,
    situationIds: new Set(defs.situations.map((s) => s.id)),
  };
}

export interface FamilySighting {
  index: number;
  /** How many records named the symptom. */
  records: number;
  /** The first lines that named it. */
  evidence: Evidence[];
}

export interface SymptomObservations {
  families: FamilySighting[];
  /** Some family was named by its own words (a phrase, a failure in its log), not only by a code or HTTP status. */
  familyByWords: boolean;
  /** Families an `unless` phrase of the paste took out: named by nothing else either, their words included. */
  vetoed: number[];
  /** Situations the paste establishes (true) or denies (false). */
  situations: Map<string, boolean>;
  /** The first marker of another product the text holds, as the text spells it. */
  foreignTerm?: string;
  /** Domain vocabulary counts: strong terms, shared technology terms, weak terms, markers of other products, structured ConfigMgr/IIS/BITS records. */
  domain: { strong: number; technology: number; weak: number; foreign: number; structured: number };
  /** Percentages mentioned in prose ("stuck at 27%"). */
  percentages: number[];
  /** HTTP statuses mentioned in prose ("404 errors in the IIS log"). */
  proseHttp: HttpFact[];
}

export interface SymptomObserver {
  observe(record: LogRecord, facts: RecordFacts): void;
  result(): SymptomObservations;
}

const MAX_EVIDENCE = 5;
const MAX_PERCENTAGES = 10;
/** Situations and vocabulary are read from the first records only: a question is short, and a long log says what it says early. */
const MAX_PROSE_RECORDS = 400;
const NEGATION = /(?:^|[^a-z'’])(?:no|not|non|without|never|neither|nor|cannot|isn[’']t|aren[’']t|don[’']t|doesn[’']t|didn[’']t|wasn[’']t|weren[’']t|haven[’']t|hasn[’']t|can[’']t|won[’']t)(?: [a-z][a-z-]*){0,2} $/;
const PERCENT = /(?<![\d.])(\d{1,3}(?:\.\d)?) ?%/g;
const STRUCTURED = new Set(['cmtrace', 'cmtrace-clipboard', 'iis', 'bitsadmin']);

export function createSymptomObserver(compiled: CompiledSymptoms): SymptomObserver {
  const { defs } = compiled;
  const sightings = new Map<number, FamilySighting>();
  const vetoed = new Set<number>();
  const situations = new Map<string, boolean>();
  const domain = { strong: 0, technology: 0, weak: 0, foreign: 0, structured: 0 };
  let foreignTerm: string | undefined;
  const percentages: number[] = [];
  const prose: HttpFact[] = [];
  let records = 0;

  /** The last line each family was seen on: one record counts once, however many of its phrases it holds. */
  const lastLine = new Map<number, number>();

  /** A family was named by its words (a phrase, a failure in its log), not only by a code or an HTTP status that other products share. */
  let byWords = false;

  function sightByWords(index: number, record: LogRecord): void {
    byWords = true;
    sight(index, record);
  }

  function sight(index: number, record: LogRecord): void {
    if (lastLine.get(index) === record.line) return;
    lastLine.set(index, record.line);
    let s = sightings.get(index);
    if (!s) {
      s = { index, records: 0, evidence: [] };
      sightings.set(index, s);
    }
    s.records++;
    if (s.evidence.length < MAX_EVIDENCE) s.evidence.push({ line: record.line, text: clipEvidenceText(record.text), signature: `symptom: ${defs.families[index]?.id ?? ''}` });
  }

  function establish(id: string, value: boolean): void {
    // A plain mention wins over a negated one: "not on the pull DP, only on the pull DP's clients" is rare, "pull DP" is common.
    if (situations.get(id) === true) return;
    situations.set(id, value);
  }

  function httpSeen(h: HttpFact, record: LogRecord): void {
    for (const w of compiled.httpWatch.get(h.status) ?? []) {
      if (w.substatus !== undefined && w.substatus !== h.substatus) continue;
      if (w.family !== undefined) sight(w.family, record);
      else if (w.situation !== undefined) establish(w.situation, true);
    }
  }

  function observe(record: LogRecord, facts: RecordFacts): void {
    records++;
    const early = records <= MAX_PROSE_RECORDS;
    const isText = record.format === 'text';
    if (STRUCTURED.has(record.format)) domain.structured++;
    const text = record.text;
    // A code on an informational line is a step that was tried and handled ("GetTsRegValue()
    // is unsuccessful. 0x80070002" in every healthy SMSTS.log), not the failure, unless the
    // line says something failed (CCMHTTP logs its errors at the informational level).
    if (facts.codes.length > 0 && (record.severity !== 'info' || saysFailed(text))) {
      for (const c of facts.codes) {
        for (const index of compiled.familyCodes.get(c.value) ?? []) sight(index, record);
        for (const id of compiled.situationCodes.get(c.value) ?? []) establish(id, true);
      }
    }
    if (compiled.failureLogs.size > 0) {
      const failing = failingLog(record);
      if (failing !== undefined) for (const index of compiled.failureLogs.get(failing) ?? []) sightByWords(index, record);
    }
    // In an IIS log only requests for content speak of a download; a browser's 404 for
    // /favicon.ico on the same server does not.
    if (record.format !== 'iis' || isContentRequest(record)) for (const h of facts.http) httpSeen(h, record);
    if (isText && early) {
      for (const h of proseHttp(text)) {
        if (!facts.http.some((x) => x.status === h.status && x.substatus === h.substatus)) {
          if (prose.length < MAX_EVIDENCE) prose.push(h);
          httpSeen(h, record);
        }
      }
      if (text.indexOf('%') >= 0 && percentages.length < MAX_PERCENTAGES) {
        PERCENT.lastIndex = 0;
        for (let m = PERCENT.exec(text); m !== null && percentages.length < MAX_PERCENTAGES; m = PERCENT.exec(text)) {
          const v = Number(m[1]);
          if (v <= 100) percentages.push(v);
        }
      }
    }
    current.record = record;
    current.facts = facts;
    current.isText = isText;
    current.early = early;
    current.lower = undefined;
    current.spoken = undefined;
    compiled.phrases.search(text, onPhrase);
  }

  /** The record being read, for the phrase callback (one function for all records: no closure per line). */
  const current: { record: LogRecord | undefined; facts: RecordFacts | undefined; isText: boolean; early: boolean; lower: string | undefined; spoken: boolean | undefined } = {
    record: undefined, facts: undefined, isText: false, early: false, lower: undefined, spoken: undefined,
  };

  /** Written by a person: a sentence or a few words, not a log message naming a package. */
  function spoken(): boolean {
    if (current.spoken === undefined) {
      const text = (current.record as LogRecord).text;
      current.spoken = current.isText && current.early && (current.facts as RecordFacts).packages.length === 0
        && (isProse(text) || text.trim().split(/\s+/).length <= 3);
    }
    return current.spoken;
  }

  function onPhrase(hit: PhraseHit, end: number): void {
    const record = current.record as LogRecord;
    const text = record.text;
    const { phrase, length } = hit;
    // Most hits change nothing (a domain word already counted, a situation already known,
    // a family already seen on this line): leave before any string work.
    switch (phrase.kind) {
      case 'situation':
        if (!current.early || situations.get(phrase.id) === true) return;
        break;
      case 'strong': case 'technology': case 'weak': case 'foreign':
        if (!current.early || domain[phrase.kind] > 0) return;
        break;
      case 'family-veto':
        if (vetoed.has(phrase.index)) return;
        break;
      default:
        if (lastLine.get(phrase.index) === record.line) return;
    }
    current.lower ??= text.toLowerCase();
    const lower = current.lower;
    const start = end - length;
    if (!wordBounded(lower, start, end)) return;
    switch (phrase.kind) {
      case 'family':
        // As for codes: an informational line names a state the download passes through
        // (every healthy execmgr.log logs WaitingContent), not a failure.
        if (record.severity !== 'info' || saysFailed(text)) sightByWords(phrase.index, record);
        return;
      case 'family-shared':
        // Named as a shared code names it: the gate then wants a word of the domain too.
        if (record.severity !== 'info' || saysFailed(text)) sight(phrase.index, record);
        return;
      case 'family-prose':
        if (spoken()) sightByWords(phrase.index, record);
        return;
      case 'family-failure':
        if (saysFailed(text) && !NOT_A_FAILURE.test(text)) sightByWords(phrase.index, record);
        return;
      case 'family-veto':
        vetoed.add(phrase.index);
        return;
      case 'situation':
        establish(phrase.id, !(current.isText && NEGATION.test(lower.slice(Math.max(0, start - 40), start))));
        return;
      default:
        if (phrase.kind === 'foreign') foreignTerm ??= text.slice(start, end);
        domain[phrase.kind]++;
    }
  }

  function result(): SymptomObservations {
    return {
      families: [...sightings.values()].filter((f) => !vetoed.has(f.index)),
      familyByWords: byWords,
      vetoed: [...vetoed],
      situations: new Map(situations),
      domain: { ...domain },
      ...(foreignTerm !== undefined ? { foreignTerm } : {}),
      percentages: [...percentages],
      proseHttp: [...prose],
    };
  }

  return { observe, result };
}

/** Virtual directories that serve ConfigMgr content: the DP's package shares, token and BranchCache paths. */
const CONTENT_URL = /\/(?:SMS_DP_|NOCERT_|CCMTOKENAUTH_|SCCM_BranchCache\$|SMS_MCS|SMS_DP\$|SMSPKG|SCCMContentLib|Content_|ClientUpgrade|CCM_Client|CCM_Incoming|downloadrestservice|CCM_Proxy|SMS_MP)/i;

function isContentRequest(record: LogRecord): boolean {
  return CONTENT_URL.test(record.fields?.['uri'] ?? record.text);
}

const FAILED = /\b(?:error|errors|failed|failure|fails|cannot|could not|unable)\b/i;

/** A status message line (`STATMSG: ID=2302 SEV=E ... COMP="SMS_DISTRIBUTION_MANAGER"`): its severity and component. */
const STATMSG = /\bSTATMSG: ID=\d+ SEV=([EWI])\b.*?\bCOMP=["“”]([^"“”]{1,64})["“”]/;
/** Lines that report a count or an outcome, not a failure: "0 failed", "succeeded", "No errors". */
const NOT_A_FAILURE = /\b(?:0|zero|no) (?:failed|failures|errors?)\b|succe(?:ss|eded)|successfully/i;

/**
 * The lower-case log name of a record that reports a failure, or undefined: a status message
 * of error severity names its component; any other record needs a known log and must be an
 * error or say that something failed.
 */
function failingLog(record: LogRecord): string | undefined {
  const text = record.text;
  if (text.indexOf('STATMSG:') >= 0) {
    const m = STATMSG.exec(text);
    return m && m[1] === 'E' ? logForComponent((m[2] as string).replace(/\\_/g, '_')).toLowerCase() : undefined;
  }
  if (record.log === undefined) return undefined;
  if (record.severity !== 'error' && !saysFailed(text)) return undefined;
  if (NOT_A_FAILURE.test(text)) return undefined;
  return record.log.toLowerCase();
}

function saysFailed(text: string): boolean {
  return FAILED.test(text);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95;
}

/** A phrase that starts or ends with a letter or digit must not continue a longer word there ("bits" in "32bits", "dp" in "dpi"). */
function wordBounded(lower: string, start: number, end: number): boolean {
  if (start < 0) return false;
  if (isWordChar(lower.charCodeAt(start)) && start > 0 && isWordChar(lower.charCodeAt(start - 1))) return false;
  if (isWordChar(lower.charCodeAt(end - 1)) && end < lower.length && isWordChar(lower.charCodeAt(end))) return false;
  return true;
}
