import { parseCodeSpelling } from '../facts/codes';
import { eventSourceMatches } from '../facts/events';
import type { Confidence, LogRecord, RecordFacts } from '../types';
import { COMMON_CODES, type ConditionDef, type IisDefaults, type SignatureDef } from './definition';
import { requiredLiteral } from './regex-literal';

export type Values = Record<string, string>;

/** How the scanner finds the records a condition may hold on, without testing every condition on every record. */
export type Trigger =
  | { kind: 'code'; values: number[] }
  | { kind: 'http'; statuses: number[] }
  | { kind: 'literal'; needles: string[] }
  /**
   * A condition on a record's paths. When it can only hold on a path with one of
   * `extensions` or one of `segments` (lower-case), the scanner tests it only on records
   * whose paths have one; without either it is tested on every record with a path.
   */
  | { kind: 'paths'; extensions?: string[]; segments?: string[] }
  | { kind: 'events' }
  | { kind: 'always' };

export interface CompiledCondition {
  /** Index in the compiled KB; conditions with the same definition are shared by all entries. */
  index: number;
  key: string;
  kind: keyof UnionKeys;
  /** How much a hit of this condition says about a cause (1 weak … 3 specific). */
  specificity: number;
  trigger: Trigger;
  /** Tests the condition on a record; returns the values it extracts, or undefined. */
  test(record: LogRecord, facts: RecordFacts): Values | undefined;
}

type UnionKeys = { code: 1; http: 1; extension: 1; path: 1; event: 1; text: 1; regex: 1 };

export interface CompiledSignature {
  entryIndex: number;
  name: string;
  confidence: Confidence;
  scope: 'paste' | 'line';
  logs?: ReadonlySet<string>;
  severity?: 'error' | 'warning';
  all: CompiledCondition[];
  any: CompiledCondition[];
  not: CompiledCondition[];
}

export class SignatureCompileError extends Error {
  constructor(message: string, readonly path: (string | number)[]) {
    super(message);
    this.name = 'SignatureCompileError';
  }
}

/** Shares identical conditions between signatures and entries, so each runs once per record. */
export class ConditionPool {
  readonly conditions: CompiledCondition[] = [];
  private readonly byKey = new Map<string, CompiledCondition>();

  constructor(private readonly iis: IisDefaults) {}

  compile(def: ConditionDef, path: (string | number)[]): CompiledCondition {
    const key = JSON.stringify(def);
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const made = buildCondition(def, this.iis, path);
    const condition: CompiledCondition = { ...made, index: this.conditions.length, key };
    this.conditions.push(condition);
    this.byKey.set(key, condition);
    return condition;
  }
}

export function compileSignature(def: SignatureDef, entryIndex: number, pool: ConditionPool, path: (string | number)[]): CompiledSignature {
  const compileList = (list: ConditionDef[] | undefined, key: string): CompiledCondition[] =>
    (list ?? []).map((c, i) => pool.compile(c, [...path, key, i]));
  const all = compileList(def.all, 'all');
  const any = compileList(def.any, 'any');
  const not = compileList(def.not, 'not');
  if (all.length === 0 && any.length === 0) {
    throw new SignatureCompileError(`signature "${def.name}" has no "all" or "any" conditions`, path);
  }
  return {
    entryIndex,
    name: def.name,
    confidence: def.confidence ?? 'medium',
    scope: def.scope ?? 'paste',
    logs: def.log && def.log.length > 0 ? new Set(def.log.map((l) => l.toLowerCase())) : undefined,
    severity: def.severity,
    all,
    any,
    not,
  };
}

function asList<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function normalizeExtension(e: string): string {
  const t = e.trim().toLowerCase();
  return t.startsWith('.') ? t : `.${t}`;
}

function textSpecificity(s: string): number {
  return s.length >= 20 ? 3 : s.length >= 8 ? 2 : 1;
}

type Built = Omit<CompiledCondition, 'index' | 'key'>;

function buildCondition(def: ConditionDef, iis: IisDefaults, path: (string | number)[]): Built {
  if ('code' in def) {
    const values = asList(def.code).map((c) => {
      const v = typeof c === 'number' ? c >>> 0 : parseCodeSpelling(String(c));
      if (v === undefined) throw new SignatureCompileError(`"${String(c)}" is not an error code; write it as 0x80091007`, [...path, 'code']);
      return v;
    });
    const set = new Set(values);
    const common = values.every((v) => COMMON_CODES.has(v));
    return {
      kind: 'code',
      specificity: common ? 1 : 3,
      trigger: { kind: 'code', values },
      test: (_r, facts) => {
        const hit = facts.codes.find((c) => set.has(c.value));
        return hit ? { code: '0x' + hit.value.toString(16).toUpperCase().padStart(8, '0') } : undefined;
      },
    };
  }
  if ('http' in def) {
    const { status, substatus } = def.http;
    return {
      kind: 'http',
      specificity: substatus !== undefined ? 3 : 1,
      trigger: { kind: 'http', statuses: [status] },
      test: (_r, facts) => {
        const hit = facts.http.find((h) => h.status === status && (substatus === undefined || h.substatus === substatus));
        if (!hit) return undefined;
        const v: Values = { status: String(hit.status) };
        if (hit.substatus !== undefined) v['substatus'] = String(hit.substatus);
        // The request that got this status, when the record names one (an IIS line, an "Error downloading file from" line).
        const request = facts.paths.find((p) => p.file.length > 0);
        if (request) {
          v['file'] = request.file;
          v['url'] = request.value;
          if (request.extension !== undefined) v['extension'] = request.extension;
        }
        return v;
      },
    };
  }
  if ('extension' in def) {
    const spec = def.extension;
    const list = Array.isArray(spec) ? spec : (spec.in ?? []);
    const wanted = new Set(list.map(normalizeExtension));
    const useDefaults = !Array.isArray(spec) && spec.denied_by_default === true;
    if (wanted.size === 0 && !useDefaults) {
      throw new SignatureCompileError('extension condition needs a list of extensions or denied_by_default: true', [...path, 'extension']);
    }
    return {
      kind: 'extension',
      specificity: 2,
      trigger: { kind: 'paths', extensions: [...wanted, ...(useDefaults ? iis.deniedExtensions : [])] },
      test: (_r, facts) => {
        for (const p of facts.paths) {
          const ext = p.extension;
          if (ext === undefined) continue;
          if (wanted.has(ext) || (useDefaults && iis.deniedExtensions.has(ext))) {
            return { extension: ext, file: p.file, url: p.value };
          }
        }
        return undefined;
      },
    };
  }
  if ('path' in def) {
    const spec = def.path;
    const segments = new Set(asList(spec.segment ?? []).map((s) => s.toLowerCase()));
    const contains = asList(spec.contains ?? []);
    const hidden = spec.hidden_by_default === true;
    if (segments.size === 0 && contains.length === 0 && !hidden) {
      throw new SignatureCompileError('path condition needs segment, contains or hidden_by_default: true', [...path, 'path']);
    }
    return {
      kind: 'path',
      specificity: 2,
      // With segments (or the hidden ones) named, a path holds only through one of them.
      trigger: segments.size > 0 || hidden ? { kind: 'paths', segments: [...segments, ...(hidden ? iis.hiddenSegments : [])] } : { kind: 'paths' },
      test: (_r, facts) => {
        for (const p of facts.paths) {
          if (contains.length > 0 && !contains.some((c) => p.value.includes(c) || p.segments.some((s) => s.includes(c)))) continue;
          if (segments.size === 0 && !hidden) {
            const v: Values = { file: p.file, url: p.value };
            return v;
          }
          for (const s of p.segments) {
            const lower = s.toLowerCase();
            if (segments.has(lower) || (hidden && iis.hiddenSegments.has(lower))) {
              return { segment: s, file: p.file, url: p.value };
            }
          }
        }
        return undefined;
      },
    };
  }
  if ('event' in def) {
    const { source, id } = def.event;
    if (source === undefined && id === undefined) {
      throw new SignatureCompileError('event condition needs a source, an id or both', [...path, 'event']);
    }
    return {
      kind: 'event',
      specificity: source !== undefined && id !== undefined ? 3 : 2,
      trigger: { kind: 'events' },
      test: (_r, facts) => {
        const hit = facts.events.find((e) => (id === undefined || e.id === id) && (source === undefined || eventSourceMatches(e.source, source)));
        if (!hit) return undefined;
        const v: Values = {};
        if (hit.source !== undefined) v['event_source'] = hit.source;
        if (hit.id !== undefined) v['event_id'] = String(hit.id);
        return v;
      },
    };
  }
  if ('text' in def) {
    const needles = asList(def.text).map((t) => t.toLowerCase()).filter((t) => t.length > 0);
    if (needles.length === 0) throw new SignatureCompileError('text condition is empty', [...path, 'text']);
    return {
      kind: 'text',
      specificity: Math.min(...needles.map(textSpecificity)),
      trigger: { kind: 'literal', needles },
      test: (r) => (needles.some((n) => r.text.toLowerCase().includes(n)) ? {} : undefined),
    };
  }
  if ('regex' in def) {
    let re: RegExp;
    try {
      re = new RegExp(def.regex, 'i');
    } catch (e) {
      throw new SignatureCompileError(`regex does not compile: ${(e as Error).message}`, [...path, 'regex']);
    }
    const literal = requiredLiteral(def.regex);
    return {
      kind: 'regex',
      specificity: literal !== undefined && literal.length >= 12 ? 3 : 2,
      trigger: literal !== undefined ? { kind: 'literal', needles: [literal] } : { kind: 'always' },
      test: (r) => {
        const m = re.exec(r.text);
        if (!m) return undefined;
        const v: Values = {};
        for (const [k, val] of Object.entries(m.groups ?? {})) if (val !== undefined) v[k] = val;
        return v;
      },
    };
  }
  throw new SignatureCompileError(`unknown condition "${Object.keys(def as object).join(', ')}"; use code, http, extension, path, event, text or regex`, path);
}
