import YAML, { LineCounter, type Document } from 'yaml';
import { parseCodeSpelling } from '../matchers/facts/codes';
import type { DomainVocabulary, FamilyDef, FamilyMember, SituationDef, SymptomDefinitions } from '../matchers/symptoms/definition';
import type { HttpFact } from '../matchers/types';
import type { KbProblem } from './problem';
import { yamlLocator, type Locate } from './yaml-locate';

/**
 * Reads and validates the symptom files: `kb/families/*.yaml`, `kb/situations.yaml` and
 * `kb/domain.yaml`. Like entries, every problem names its file, line and column and says
 * what to write instead; a family with problems is left out, the rest still load.
 */
export interface SourceText {
  name: string;
  text: string;
}

export interface FamilyExample {
  text: string;
  /** The entry expected first among the candidate causes. */
  first?: string;
}

export interface LoadedFamily {
  file: string;
  def: FamilyDef;
  notMembers: { entry: string; why: string }[];
  /** Entry ids of the members, in the file's order. */
  memberIds: string[];
  examples: { match: FamilyExample[]; no_match: string[] };
  locate(path: readonly (string | number)[]): { line: number; column: number };
}

export interface LoadedSymptoms {
  definitions: SymptomDefinitions;
  families: LoadedFamily[];
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FAMILY_KEYS = ['id', 'title', 'summary', 'priority', 'recognize', 'members', 'not_members', 'collect', 'examples'];
const MEMBER_KEYS = ['entry', 'weight', 'why', 'source', 'confirm', 'requires', 'favored_by', 'disfavored_by'];
const SITUATION_KEYS = ['id', 'ask', 'phrases', 'http', 'codes', 'source'];
/** A phrase this short would be found inside ordinary words and sentences of any product. */
const MIN_PHRASE = 4;

type Obj = Record<string, unknown>;
type Issue = (path: (string | number)[], message: string) => void;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface ParsedYaml {
  data: unknown;
  locate: Locate;
}

function parseYaml(file: SourceText, code: string, problems: KbProblem[]): ParsedYaml | undefined {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = YAML.parseDocument(file.text, { lineCounter, uniqueKeys: true });
  } catch (e) {
    problems.push({ file: file.name, line: 1, column: 1, code, severity: 'error', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` });
    return undefined;
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0] as { linePos?: { line: number; col: number }[]; message: string };
    const pos = err.linePos?.[0];
    problems.push({ file: file.name, line: pos?.line ?? 1, column: pos?.col ?? 1, code, severity: 'error', message: `not valid YAML: ${err.message.split('\n')[0]}` });
    return undefined;
  }
  const locate = yamlLocator(doc, lineCounter);
  return { data: doc.toJS(), locate };
}

function strings(v: unknown, path: (string | number)[], issue: Issue, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issue(path, `${what} must be a list`);
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    const t = typeof s === 'number' ? String(s) : s;
    if (typeof t !== 'string' || t.trim().length === 0) issue([...path, i], `${what}: every item must be a non-empty string`);
    else out.push(t.trim());
  });
  return out;
}

function codes(v: unknown, path: (string | number)[], issue: Issue): number[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issue(path, 'codes must be a list such as [0x80091007, 0x80190194]');
    return [];
  }
  const out: number[] = [];
  v.forEach((c, i) => {
    const value = typeof c === 'number' ? (c >= 0x80000000 && c <= 0xffffffff ? c : undefined) : typeof c === 'string' ? parseCodeSpelling(c) : undefined;
    if (value === undefined || value < 0x80000000) issue([...path, i], `"${String(c)}" is not a failure code: write it in hex with 0x (0x80091007)`);
    else out.push(value);
  });
  return out;
}

function httpList(v: unknown, path: (string | number)[], issue: Issue): HttpFact[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issue(path, 'http must be a list such as [{ status: 404 }, { status: 404, substatus: 7 }]');
    return [];
  }
  const out: HttpFact[] = [];
  v.forEach((h, i) => {
    if (!isObj(h) || typeof h['status'] !== 'number' || h['status'] < 100 || h['status'] > 599 || (h['substatus'] !== undefined && typeof h['substatus'] !== 'number')
      || Object.keys(h).some((k) => k !== 'status' && k !== 'substatus')) {
      issue([...path, i], 'each http item is { status: 404 } or { status: 404, substatus: 7 }');
      return;
    }
    out.push(h['substatus'] !== undefined ? { status: h['status'], substatus: h['substatus'] as number } : { status: h['status'] });
  });
  return out;
}

function phrases(v: unknown, path: (string | number)[], issue: Issue, what: string): string[] {
  const list = strings(v, path, issue, what);
  list.forEach((p, i) => {
    if (p.length < MIN_PHRASE) issue([...path, i], `"${p}" is too short to name anything by itself (at least ${MIN_PHRASE} characters); use http: or codes: for statuses and codes`);
  });
  return list.filter((p) => p.length >= MIN_PHRASE).map((p) => p.toLowerCase());
}

/** Log names as entries' `log:` spells them; compared without regard to case. */
function logNames(v: unknown, path: (string | number)[], issue: Issue): string[] {
  return strings(v, path, issue, 'failures_in').filter((name, i) => {
    if (/^[A-Za-z][\w.$-]*$/.test(name)) return true;
    issue([...path, i], `"${name}" is not a log name; write it as entries' log: does (DistMgr, PkgXferMgr, PullDP, SMSDPProv, ...)`);
    return false;
  });
}

export function loadSituations(file: SourceText, problems: KbProblem[]): SituationDef[] {
  if (file.text.trim().length === 0) {
    problems.push({ file: file.name, line: 1, column: 1, code: 'KB401', severity: 'error', message: 'the situations file is missing or empty; restore kb/situations.yaml' });
    return [];
  }
  const parsed = parseYaml(file, 'KB401', problems);
  if (!parsed) return [];
  const issue = (path: (string | number)[], message: string): void => {
    problems.push({ file: file.name, ...parsed.locate(path), code: 'KB402', severity: 'error', message });
  };
  if (!Array.isArray(parsed.data)) {
    issue([], 'the situations file is a YAML list of { id, ask, phrases }');
    return [];
  }
  const out: SituationDef[] = [];
  const seen = new Set<string>();
  parsed.data.forEach((s, i) => {
    if (!isObj(s)) {
      issue([i], 'a situation is a mapping with id, ask and phrases');
      return;
    }
    for (const k of Object.keys(s)) if (!SITUATION_KEYS.includes(k)) issue([i, k], `unknown key "${k}"; allowed: ${SITUATION_KEYS.join(', ')}`);
    const id = s['id'];
    if (typeof id !== 'string' || !KEBAB.test(id)) {
      issue([i, 'id'], 'every situation needs a kebab-case id');
      return;
    }
    if (seen.has(id)) issue([i, 'id'], `situation "${id}" is defined twice`);
    seen.add(id);
    const ask = s['ask'];
    if (ask !== undefined && (typeof ask !== 'string' || !ask.trim().endsWith('?'))) issue([i, 'ask'], 'ask is a yes/no question ending in "?"');
    const def: SituationDef = {
      id,
      phrases: phrases(s['phrases'], [i, 'phrases'], issue, 'phrases'),
      http: httpList(s['http'], [i, 'http'], issue),
      codes: codes(s['codes'], [i, 'codes'], issue),
    };
    if (typeof ask === 'string') def.ask = ask.trim();
    if (def.phrases.length === 0 && def.http.length === 0 && def.codes.length === 0 && def.ask === undefined) {
      issue([i], `situation "${id}" can never be known: give it phrases, http or codes, or an ask question`);
    }
    out.push(def);
  });
  return out;
}

export function loadDomain(file: SourceText, problems: KbProblem[]): DomainVocabulary {
  const empty: DomainVocabulary = { strong: [], technology: [], weak: [], foreign: [] };
  if (file.text.trim().length === 0) {
    problems.push({ file: file.name, line: 1, column: 1, code: 'KB401', severity: 'error', message: 'the domain vocabulary is missing or empty; restore kb/domain.yaml' });
    return empty;
  }
  const parsed = parseYaml(file, 'KB401', problems);
  if (!parsed) return empty;
  const issue = (path: (string | number)[], message: string): void => {
    problems.push({ file: file.name, ...parsed.locate(path), code: 'KB402', severity: 'error', message });
  };
  if (!isObj(parsed.data)) {
    issue([], 'the domain vocabulary is a mapping with strong, technology, weak and foreign lists');
    return empty;
  }
  for (const k of Object.keys(parsed.data)) if (!['strong', 'technology', 'weak', 'foreign', 'source'].includes(k)) issue([k], `unknown key "${k}"; allowed: strong, technology, weak, foreign, source`);
  const list = (k: 'strong' | 'technology' | 'weak' | 'foreign', optional = false): string[] => {
    const value = parsed.data && (parsed.data as Obj)[k];
    if (optional && value === undefined) return [];
    const l = strings(value, [k], issue, k);
    if (l.length === 0) issue([k], `"${k}" must list at least one term`);
    return l.map((t) => t.toLowerCase());
  };
  return { strong: list('strong'), technology: list('technology', true), weak: list('weak'), foreign: list('foreign') };
}

/**
 * Loads the families. `entryIndex` resolves a member's entry id; `situations` are the
 * valid situation ids.
 */
export function loadFamilies(files: readonly SourceText[], entryIndex: ReadonlyMap<string, number>, situations: ReadonlySet<string>, problems: KbProblem[]): LoadedFamily[] {
  const out: LoadedFamily[] = [];
  for (const file of files) {
    const family = loadFamily(file, entryIndex, situations, problems);
    if (family) out.push(family);
  }
  return out;
}

function loadFamily(file: SourceText, entryIndex: ReadonlyMap<string, number>, situations: ReadonlySet<string>, problems: KbProblem[]): LoadedFamily | undefined {
  const parsed = parseYaml(file, 'KB401', problems);
  if (!parsed) return undefined;
  let count = 0;
  const issue = (path: (string | number)[], message: string, code = 'KB402'): void => {
    count++;
    problems.push({ file: file.name, ...parsed.locate(path), code, severity: 'error', message });
  };
  const data = parsed.data;
  if (!isObj(data)) {
    issue([], 'a family file is a YAML mapping: id, title, summary, recognize, members, collect, examples');
    return undefined;
  }
  for (const k of Object.keys(data)) if (!FAMILY_KEYS.includes(k)) issue([k], `unknown key "${k}"; allowed: ${FAMILY_KEYS.join(', ')}`);
  const str = (key: string): string => {
    const v = data[key];
    if (typeof v !== 'string' || v.trim().length === 0) {
      issue(v === undefined ? [] : [key], `"${key}" must be a non-empty string`);
      return '';
    }
    return v.trim();
  };
  const id = str('id');
  const expected = file.name.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (id && id !== expected) issue(['id'], `id "${id}" differs from the file name; rename the file to ${id}.yaml or change the id to ${expected}`, 'KB403');
  const title = str('title');
  const summary = str('summary');
  const priority = data['priority'] ?? 0;
  if (typeof priority !== 'number' || !Number.isInteger(priority)) issue(['priority'], 'priority must be a whole number (default 0): the higher one wins when two families are shown by the same lines');
  const rec = data['recognize'];
  const recognize: FamilyDef['recognize'] = { codes: [], http: [], text: [], shared: [], prose: [], unless: [], failuresIn: [], failuresAbout: [] };
  if (!isObj(rec)) issue(rec === undefined ? [] : ['recognize'], 'recognize must be a mapping with codes, http and/or text');
  else {
    for (const k of Object.keys(rec)) if (!['codes', 'http', 'text', 'shared', 'prose', 'unless', 'failures_in', 'failures_about'].includes(k)) issue(['recognize', k], `unknown key "${k}" in recognize; allowed: codes, http, text, shared, prose, unless, failures_in, failures_about`);
    recognize.codes = codes(rec['codes'], ['recognize', 'codes'], issue);
    recognize.http = httpList(rec['http'], ['recognize', 'http'], issue);
    recognize.text = phrases(rec['text'], ['recognize', 'text'], issue, 'text');
    recognize.shared = phrases(rec['shared'], ['recognize', 'shared'], issue, 'shared');
    recognize.prose = phrases(rec['prose'], ['recognize', 'prose'], issue, 'prose');
    recognize.unless = phrases(rec['unless'], ['recognize', 'unless'], issue, 'unless');
    recognize.failuresIn = logNames(rec['failures_in'], ['recognize', 'failures_in'], issue);
    recognize.failuresAbout = phrases(rec['failures_about'], ['recognize', 'failures_about'], issue, 'failures_about');
    if (recognize.codes.length + recognize.http.length + recognize.text.length + recognize.shared.length + recognize.prose.length + recognize.failuresIn.length + recognize.failuresAbout.length === 0) issue(['recognize'], 'recognize needs at least one code, HTTP status or phrase');
  }
  const members: FamilyMember[] = [];
  const memberIds: string[] = [];
  const situationList = (m: Obj, key: string, path: (string | number)[]): string[] => {
    const list = strings(m[key], [...path, key], issue, key);
    list.forEach((s, i) => {
      if (!situations.has(s)) issue([...path, key, i], `unknown situation "${s}"; define it in kb/situations.yaml`, 'KB405');
    });
    return list.filter((s) => situations.has(s));
  };
  if (!Array.isArray(data['members']) || data['members'].length < 2) {
    issue(data['members'] === undefined ? [] : ['members'], 'members must list at least two entries (a symptom with one cause is an entry, not a family)');
  } else {
    data['members'].forEach((m, i) => {
      const path = ['members', i];
      if (!isObj(m)) {
        issue(path, 'a member is a mapping: entry, weight, why, confirm');
        return;
      }
      for (const k of Object.keys(m)) if (!MEMBER_KEYS.includes(k)) issue([...path, k], `unknown key "${k}" in a member; allowed: ${MEMBER_KEYS.join(', ')}`);
      const entry = m['entry'];
      const index = typeof entry === 'string' ? entryIndex.get(entry) : undefined;
      if (typeof entry !== 'string' || index === undefined) {
        issue([...path, 'entry'], `member "${String(entry)}" is not a KB entry id; check kb/entries/`, 'KB404');
        return;
      }
      if (memberIds.includes(entry)) issue([...path, 'entry'], `"${entry}" is listed twice`);
      const weight = m['weight'];
      if (typeof weight !== 'number' || !(weight > 0)) issue([...path, 'weight'], 'weight must be a positive number (relative commonness)');
      for (const k of ['why', 'confirm']) if (typeof m[k] !== 'string' || (m[k] as string).trim().length === 0) issue(m[k] === undefined ? path : [...path, k], `every member needs "${k}"`);
      if (m['source'] !== undefined && (typeof m['source'] !== 'string' || !/^https:\/\/\S+$/.test(m['source']))) issue([...path, 'source'], 'source must be an https:// address');
      memberIds.push(entry);
      members.push({
        entryIndex: index,
        weight: typeof weight === 'number' && weight > 0 ? weight : 1,
        confirm: typeof m['confirm'] === 'string' ? m['confirm'].trim() : '',
        requires: situationList(m, 'requires', path),
        favoredBy: situationList(m, 'favored_by', path),
        disfavoredBy: situationList(m, 'disfavored_by', path),
      });
    });
  }
  const notMembers: { entry: string; why: string }[] = [];
  if (data['not_members'] !== undefined) {
    if (!Array.isArray(data['not_members'])) issue(['not_members'], 'not_members must be a list of { entry, why }');
    else data['not_members'].forEach((n, i) => {
      if (!isObj(n) || typeof n['entry'] !== 'string' || typeof n['why'] !== 'string') {
        issue(['not_members', i], 'each not_members item is { entry, why }');
        return;
      }
      if (!entryIndex.has(n['entry'])) issue(['not_members', i, 'entry'], `"${n['entry']}" is not a KB entry id`, 'KB404');
      notMembers.push({ entry: n['entry'], why: n['why'] });
    });
  }
  const collect = strings(data['collect'], ['collect'], issue, 'collect');
  if (collect.length === 0) issue(data['collect'] === undefined ? [] : ['collect'], 'collect must say what to paste next (at least one item)');
  const examples = { match: [] as FamilyExample[], no_match: [] as string[] };
  const ex = data['examples'];
  if (!isObj(ex)) issue(ex === undefined ? [] : ['examples'], 'examples must be a mapping with match and no_match lists', 'KB402');
  else {
    for (const k of Object.keys(ex)) if (k !== 'match' && k !== 'no_match') issue(['examples', k], `unknown key "${k}" in examples; use match and no_match`, 'KB402');
    if (!Array.isArray(ex['match']) || ex['match'].length === 0) issue(['examples'], 'examples.match must list at least one text that shows the symptom', 'KB402');
    else ex['match'].forEach((m, i) => {
      if (typeof m === 'string' && m.trim().length > 0) examples.match.push({ text: m });
      else if (isObj(m) && typeof m['text'] === 'string' && (m['first'] === undefined || typeof m['first'] === 'string') && Object.keys(m).every((k) => k === 'text' || k === 'first')) {
        if (typeof m['first'] === 'string' && !memberIds.includes(m['first'])) issue(['examples', 'match', i, 'first'], `"${m['first']}" is not a member of this family`, 'KB402');
        examples.match.push(m['first'] !== undefined ? { text: m['text'], first: m['first'] as string } : { text: m['text'] });
      } else issue(['examples', 'match', i], 'a match example is a string or { text, first }', 'KB402');
    });
    if (ex['no_match'] !== undefined) {
      if (!Array.isArray(ex['no_match'])) issue(['examples', 'no_match'], 'examples.no_match must be a list', 'KB402');
      else ex['no_match'].forEach((m, i) => {
        if (typeof m === 'string' && m.trim().length > 0) examples.no_match.push(m);
        else issue(['examples', 'no_match', i], 'a no_match example is a string', 'KB402');
      });
    }
  }
  if (count > 0) return undefined;
  return {
    file: file.name,
    def: { id, title, summary, priority: typeof priority === 'number' ? priority : 0, recognize, members, collect },
    notMembers,
    memberIds,
    examples,
    locate: parsed.locate,
  };
}
