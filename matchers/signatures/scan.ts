import { clipEvidenceText } from '../evidence-text';
import type { Confidence, Evidence, LogRecord, RecordFacts, Severity } from '../types';
import { buildAhoCorasick, type AhoCorasick } from './aho-corasick';
import type { CompiledCondition, CompiledSignature, Values } from './compile';

/**
 * The signature engine. Every record is looked at once for all signatures: its facts
 * and one Aho–Corasick pass over its text select the few conditions that can hold,
 * and only those are tested. Signatures are decided when the input ends.
 */
export interface MatcherSet {
  signatures: readonly CompiledSignature[];
  conditions: readonly CompiledCondition[];
  byCode: ReadonlyMap<number, readonly number[]>;
  byStatus: ReadonlyMap<number, readonly number[]>;
  /** Path conditions tested on every record with a path (a `contains`, or any path). */
  pathConditions: readonly number[];
  /** Path conditions that can hold only on a path with this extension (lower-case, with its dot). */
  pathsByExtension: ReadonlyMap<string, readonly number[]>;
  /** Path conditions that can hold only on a path with this segment (lower-case). */
  pathsBySegment: ReadonlyMap<string, readonly number[]>;
  eventConditions: readonly number[];
  alwaysConditions: readonly number[];
  literals: AhoCorasick<number>;
  /** condition index → line-scope signatures that use it */
  lineSignatures: ReadonlyMap<number, readonly number[]>;
  /** Error code → entries whose signatures look for it (common codes left out): the alternatives for a code. */
  entriesByCode: ReadonlyMap<number, readonly number[]>;
}

export function buildMatcherSet(signatures: readonly CompiledSignature[], conditions: readonly CompiledCondition[]): MatcherSet {
  const byCode = new Map<number, number[]>();
  const byStatus = new Map<number, number[]>();
  const pathConditions: number[] = [];
  const pathsByExtension = new Map<string, number[]>();
  const pathsBySegment = new Map<string, number[]>();
  const eventConditions: number[] = [];
  const alwaysConditions: number[] = [];
  const needles: [string, number][] = [];
  const push = <K>(map: Map<K, number[]>, key: K, v: number): void => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  for (const c of conditions) {
    const t = c.trigger;
    switch (t.kind) {
      case 'code': for (const v of t.values) push(byCode, v, c.index); break;
      case 'http': for (const s of t.statuses) push(byStatus, s, c.index); break;
      case 'paths':
        if (t.extensions === undefined && t.segments === undefined) pathConditions.push(c.index);
        for (const e of t.extensions ?? []) push(pathsByExtension, e, c.index);
        for (const g of t.segments ?? []) push(pathsBySegment, g, c.index);
        break;
      case 'events': eventConditions.push(c.index); break;
      case 'always': alwaysConditions.push(c.index); break;
      case 'literal': for (const n of t.needles) needles.push([n, c.index]); break;
    }
  }
  const lineSignatures = new Map<number, number[]>();
  signatures.forEach((s, i) => {
    if (s.scope !== 'line') return;
    for (const c of [...s.all, ...s.any]) {
      const list = lineSignatures.get(c.index) ?? [];
      if (!list.includes(i)) list.push(i);
      lineSignatures.set(c.index, list);
    }
  });
  const entriesByCode = new Map<number, number[]>();
  for (const sig of signatures) {
    for (const c of [...sig.all, ...sig.any]) {
      if (c.trigger.kind !== 'code' || c.specificity < 2) continue;
      for (const v of c.trigger.values) {
        const list = entriesByCode.get(v) ?? [];
        if (!list.includes(sig.entryIndex)) list.push(sig.entryIndex);
        entriesByCode.set(v, list);
      }
    }
  }
  return {
    signatures, conditions, byCode, byStatus, pathConditions, pathsByExtension, pathsBySegment, eventConditions, alwaysConditions,
    literals: buildAhoCorasick(needles, { ignoreCase: true }), lineSignatures, entriesByCode,
  };
}

interface Hit {
  line: number;
  text: string;
  log?: string;
  severity?: Severity;
  values: Values;
}

export interface SignatureMatch {
  signature: CompiledSignature;
  signatureIndex: number;
  entryIndex: number;
  confidence: Confidence;
  evidence: Evidence[];
  values: Values;
  /** Sum of the specificity of the conditions that held. */
  specificity: number;
  /** Number of different lines the evidence comes from. */
  evidenceLines: number;
}

export interface Scanner {
  observe(record: LogRecord, facts: RecordFacts): void;
  finish(): SignatureMatch[];
}

const MAX_HITS_PER_CONDITION = 40;
const MAX_LINE_MATCHES = 8;

export function createScanner(set: MatcherSet): Scanner {
  const hits: Hit[][] = set.conditions.map(() => []);
  const lineMatches = new Map<number, { hits: Hit[]; values: Values }>();
  // Reused per record: which conditions held on it, marked with a generation number
  // (`generation` held, `-generation` queued for testing). Nothing is allocated for a
  // record on which no condition can hold, which is nearly every record of a large log.
  const mark = new Int32Array(set.conditions.length);
  const recordValues: (Values | undefined)[] = new Array(set.conditions.length);
  let generation = 0;
  const held: number[] = [];
  const candidates: number[] = [];

  function consider(i: number): void {
    if (mark[i] === -generation || mark[i] === generation) return;
    mark[i] = -generation;
    candidates.push(i);
  }

  function considerAll(list: readonly number[] | undefined): void {
    if (list === undefined) return;
    for (let k = 0; k < list.length; k++) consider(list[k] as number);
  }

  /** Called by the literal prefilter: a text condition holds as soon as its literal is found; others become candidates. */
  function onLiteral(i: number): void {
    const c = set.conditions[i] as CompiledCondition;
    if (c.kind === 'text') {
      if (mark[i] !== generation) {
        mark[i] = generation;
        recordValues[i] = {};
        held.push(i);
      }
    } else consider(i);
  }

  function observe(record: LogRecord, facts: RecordFacts): void {
    generation++;
    held.length = 0;
    candidates.length = 0;
    for (let k = 0; k < facts.codes.length; k++) considerAll(set.byCode.get((facts.codes[k] as RecordFacts['codes'][number]).value));
    for (let k = 0; k < facts.http.length; k++) considerAll(set.byStatus.get((facts.http[k] as RecordFacts['http'][number]).status));
    if (facts.paths.length > 0) {
      considerAll(set.pathConditions);
      // Each extension and segment is looked up once (a segment lower-cased once), instead
      // of every path condition walking every segment of every path.
      const byExtension = set.pathsByExtension;
      const bySegment = set.pathsBySegment;
      for (let k = 0; k < facts.paths.length; k++) {
        const p = facts.paths[k] as RecordFacts['paths'][number];
        if (p.extension !== undefined && byExtension.size > 0) considerAll(byExtension.get(p.extension));
        if (bySegment.size > 0) for (let g = 0; g < p.segments.length; g++) considerAll(bySegment.get((p.segments[g] as string).toLowerCase()));
      }
    }
    if (facts.events.length > 0) considerAll(set.eventConditions);
    considerAll(set.alwaysConditions);
    if (set.literals.size > 0) set.literals.search(record.text, onLiteral);
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k] as number;
      if (mark[i] === generation) continue;
      const values = (set.conditions[i] as CompiledCondition).test(record, facts);
      if (values !== undefined) {
        mark[i] = generation;
        recordValues[i] = values;
        held.push(i);
      }
    }
    if (held.length === 0) return;
    const text = clipEvidenceText(record.text);
    const lineSigs = new Set<number>();
    for (const i of held) {
      const list = hits[i] as Hit[];
      if (list.length < MAX_HITS_PER_CONDITION) {
        list.push({ line: record.line, text, log: record.log, severity: record.severity, values: recordValues[i] ?? {} });
      }
      for (const s of set.lineSignatures.get(i) ?? []) lineSigs.add(s);
    }
    for (const s of lineSigs) {
      const sig = set.signatures[s] as CompiledSignature;
      if (!qualifies(sig, record.log, record.severity)) continue;
      const holds = (c: CompiledCondition): boolean => mark[c.index] === generation;
      if (!sig.all.every(holds)) continue;
      if (sig.any.length > 0 && !sig.any.some(holds)) continue;
      if (sig.not.some(holds)) continue;
      const values: Values = {};
      for (const c of [...sig.all, ...sig.any]) if (holds(c)) mergeValues(values, recordValues[c.index] ?? {});
      const existing = lineMatches.get(s);
      const hit: Hit = { line: record.line, text, log: record.log, severity: record.severity, values };
      if (!existing) lineMatches.set(s, { hits: [hit], values });
      else if (existing.hits.length < MAX_LINE_MATCHES) existing.hits.push(hit);
    }
  }

  function finish(): SignatureMatch[] {
    const out: SignatureMatch[] = [];
    set.signatures.forEach((sig, s) => {
      if (sig.scope === 'line') {
        const m = lineMatches.get(s);
        if (!m) return;
        const specificity = sig.all.reduce((a, c) => a + c.specificity, 0) + maxSpecificity(sig.any);
        const evidence = m.hits.map((h) => ({ line: h.line, text: h.text, signature: sig.name }));
        out.push({
          signature: sig, signatureIndex: s, entryIndex: sig.entryIndex, confidence: sig.confidence,
          evidence, values: m.values, specificity, evidenceLines: new Set(evidence.map((e) => e.line)).size,
        });
        return;
      }
      const first = (c: CompiledCondition): Hit | undefined =>
        (hits[c.index] as Hit[]).find((h) => qualifies(sig, h.log, h.severity));
      const allHits: Hit[] = [];
      for (const c of sig.all) {
        const h = first(c);
        if (!h) return;
        allHits.push(h);
      }
      const anyHeld = sig.any.filter((c) => first(c) !== undefined);
      if (sig.any.length > 0 && anyHeld.length === 0) return;
      if (sig.not.some((c) => first(c) !== undefined)) return;
      const anyHits = anyHeld.slice(0, 3).map((c) => first(c) as Hit);
      const values: Values = {};
      for (const h of [...allHits, ...anyHits]) mergeValues(values, h.values);
      const seen = new Set<number>();
      const evidence: Evidence[] = [];
      for (const h of [...allHits, ...anyHits]) {
        if (seen.has(h.line)) continue;
        seen.add(h.line);
        evidence.push({ line: h.line, text: h.text, signature: sig.name });
      }
      evidence.sort((a, b) => a.line - b.line);
      out.push({
        signature: sig, signatureIndex: s, entryIndex: sig.entryIndex, confidence: sig.confidence, evidence, values,
        specificity: sig.all.reduce((a, c) => a + c.specificity, 0) + maxSpecificity(anyHeld),
        evidenceLines: evidence.length,
      });
    });
    return out;
  }

  return { observe, finish };
}

function maxSpecificity(list: readonly CompiledCondition[]): number {
  return list.reduce((a, c) => Math.max(a, c.specificity), 0);
}

function mergeValues(into: Values, from: Values): void {
  for (const [k, v] of Object.entries(from)) if (!(k in into)) into[k] = v;
}

/**
 * Records whose log or severity is unknown (pasted prose, clipboard lines without a
 * component) qualify for every restriction: a paste rarely says where each line came from.
 */
function qualifies(sig: CompiledSignature, log: string | undefined, severity: Severity | undefined): boolean {
  if (sig.logs && log !== undefined && !sig.logs.has(log.toLowerCase())) return false;
  if (sig.severity && severity !== undefined) {
    if (sig.severity === 'error' && severity !== 'error') return false;
    if (sig.severity === 'warning' && severity === 'info') return false;
  }
  return true;
}
