import type { ConditionDef, SignatureDef } from '../matchers/signatures/definition';

/**
 * The front-matter schema of a KB entry, checked by hand so that every problem names
 * the exact key (and so its line) and says how to fix it. See docs/kb-format.md.
 */
export interface MatchExample {
  text: string;
  expect?: Record<string, string>;
}

export interface EntryFrontMatter {
  id: string;
  title: string;
  products: string[];
  tags: string[];
  /** How engineers phrase this problem in their own words, each with the public thread it came from where there is one. */
  questions: EntryQuestion[];
  signatures: SignatureDef[];
  links: { title: string; url: string }[];
  examples: { match: MatchExample[]; no_match: string[] };
}

export interface EntryQuestion {
  text: string;
  /** The public question (forum thread, issue, blog comment) the phrasing was taken from. */
  source?: string;
}

export interface SchemaIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

export const PRODUCTS = ['SMS 2003', 'ConfigMgr 2007', 'ConfigMgr 2012', 'ConfigMgr current branch', 'WSUS', 'MDT'] as const;
const TOP_KEYS = ['id', 'title', 'products', 'tags', 'questions', 'signatures', 'links', 'examples'];
const SIGNATURE_KEYS = ['name', 'confidence', 'scope', 'log', 'severity', 'all', 'any', 'not'];
const CONDITION_KEYS = ['code', 'http', 'extension', 'path', 'event', 'text', 'regex'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function validateFrontMatter(data: unknown): { value?: EntryFrontMatter; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  const issue = (path: (string | number)[], message: string, code = 'KB004'): void => {
    issues.push({ path, code, message });
  };
  if (!isObj(data)) {
    issue([], 'front-matter must be a YAML mapping between two "---" lines at the top of the file');
    return { issues };
  }
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) issue([key], `unknown key "${key}"; allowed keys: ${TOP_KEYS.join(', ')}`);
  }
  const str = (key: string, required: boolean): string => {
    const v = data[key];
    if (v === undefined) {
      if (required) issue([], `missing required key "${key}"`);
      return '';
    }
    if (typeof v !== 'string' || v.trim().length === 0) {
      issue([key], `"${key}" must be a non-empty string`);
      return '';
    }
    return v;
  };
  const id = str('id', true);
  if (id && !KEBAB.test(id)) issue(['id'], `id "${id}" must be kebab-case (lower-case words joined by hyphens)`);
  const title = str('title', true);
  const products = stringList(data['products'], ['products'], issue, true);
  for (const [i, p] of products.entries()) {
    if (!(PRODUCTS as readonly string[]).includes(p)) issue(['products', i], `unknown product "${p}"; use one of: ${PRODUCTS.join(', ')}`);
  }
  // Tags are search words; YAML reads `404.7` or `16384` as numbers, which are fine words too.
  const tags = Array.isArray(data['tags'])
    ? stringList(data['tags'].map((t) => (typeof t === 'number' ? String(t) : t)), ['tags'], issue, false)
    : stringList(data['tags'], ['tags'], issue, false);
  const questions: EntryQuestion[] = [];
  if (data['questions'] !== undefined) {
    if (!Array.isArray(data['questions'])) issue(['questions'], 'questions must be a list of {text, source} (or plain strings)');
    else {
      data['questions'].forEach((q, i) => {
        if (typeof q === 'string' && q.trim().length > 0) questions.push({ text: q });
        else if (isObj(q) && typeof q['text'] === 'string' && q['text'].trim().length > 0 && (q['source'] === undefined || typeof q['source'] === 'string')) {
          for (const k of Object.keys(q)) if (k !== 'text' && k !== 'source') issue(['questions', i, k], `unknown key "${k}" in a question; use text and source`);
          questions.push(q['source'] !== undefined ? { text: q['text'], source: q['source'] } : { text: q['text'] });
        } else issue(['questions', i], 'a question is {text: "how an engineer asks", source: https://…} or a plain string');
      });
    }
  }
  const links: { title: string; url: string }[] = [];
  if (!Array.isArray(data['links']) || data['links'].length === 0) {
    issue(data['links'] === undefined ? [] : ['links'], 'links must list at least one {title, url} pointing to the source article');
  } else {
    data['links'].forEach((l, i) => {
      if (!isObj(l) || typeof l['title'] !== 'string' || typeof l['url'] !== 'string') {
        issue(['links', i], 'each link needs a "title" and a "url" string');
        return;
      }
      for (const k of Object.keys(l)) if (k !== 'title' && k !== 'url') issue(['links', i, k], `unknown key "${k}" in a link`);
      links.push({ title: l['title'], url: l['url'] });
    });
  }
  const signatures: SignatureDef[] = [];
  if (data['signatures'] !== undefined) {
    if (!Array.isArray(data['signatures'])) issue(['signatures'], 'signatures must be a list');
    else data['signatures'].forEach((s, i) => {
      const sig = validateSignature(s, ['signatures', i], issue);
      if (sig) signatures.push(sig);
    });
  }
  const names = new Set<string>();
  signatures.forEach((s, i) => {
    if (names.has(s.name)) issue(['signatures', i, 'name'], `signature name "${s.name}" is used twice in this entry`);
    names.add(s.name);
  });
  const examples = { match: [] as MatchExample[], no_match: [] as string[] };
  const ex = data['examples'];
  if (ex !== undefined) {
    if (!isObj(ex)) issue(['examples'], 'examples must be a mapping with "match" and "no_match" lists');
    else {
      for (const k of Object.keys(ex)) if (k !== 'match' && k !== 'no_match') issue(['examples', k], `unknown key "${k}" in examples; use match and no_match`);
      if (ex['match'] !== undefined) {
        if (!Array.isArray(ex['match'])) issue(['examples', 'match'], 'examples.match must be a list');
        else ex['match'].forEach((m, i) => {
          if (typeof m === 'string') examples.match.push({ text: m });
          else if (isObj(m) && typeof m['text'] === 'string') {
            const expect = m['expect'];
            for (const k of Object.keys(m)) if (k !== 'text' && k !== 'expect') issue(['examples', 'match', i, k], `unknown key "${k}" in a match example; use text and expect`);
            if (expect !== undefined && (!isObj(expect) || Object.values(expect).some((v) => typeof v !== 'string' && typeof v !== 'number'))) {
              issue(['examples', 'match', i, 'expect'], 'expect must map value names to the strings they must extract');
              examples.match.push({ text: m['text'] });
            } else {
              examples.match.push({ text: m['text'], expect: expect ? Object.fromEntries(Object.entries(expect).map(([k, v]) => [k, String(v)])) : undefined });
            }
          } else issue(['examples', 'match', i], 'a match example is a string or {text, expect}');
        });
      }
      if (ex['no_match'] !== undefined) {
        if (!Array.isArray(ex['no_match'])) issue(['examples', 'no_match'], 'examples.no_match must be a list');
        else ex['no_match'].forEach((m, i) => {
          if (typeof m === 'string' && m.length > 0) examples.no_match.push(m);
          else if (isObj(m) && typeof m['text'] === 'string' && Object.keys(m).length === 1) examples.no_match.push(m['text']);
          else issue(['examples', 'no_match', i], 'a no_match example is a string or {text}');
        });
      }
    }
  }
  if (signatures.length > 0 && examples.match.length === 0) {
    issue(ex === undefined ? [] : ['examples'], 'an entry with signatures needs at least one examples.match text that shows them firing', 'KB004');
  }
  if (issues.length > 0) return { issues };
  return { value: { id, title, products, tags, questions, signatures, links, examples }, issues };
}

function stringList(v: unknown, path: (string | number)[], issue: (p: (string | number)[], m: string) => void, required: boolean): string[] {
  if (v === undefined) {
    if (required) issue(path.slice(0, -1), `missing required key "${String(path[path.length - 1])}"`);
    return [];
  }
  if (!Array.isArray(v)) {
    issue(path, `"${String(path[path.length - 1])}" must be a list`);
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.length === 0) issue([...path, i], 'must be a non-empty string');
    else out.push(s);
  });
  return out;
}

function validateSignature(s: unknown, path: (string | number)[], issue: (p: (string | number)[], m: string) => void): SignatureDef | undefined {
  if (!isObj(s)) {
    issue(path, 'a signature is a mapping with name, confidence and all/any/not lists');
    return undefined;
  }
  let count = 0;
  const report = (p: (string | number)[], m: string): void => {
    count++;
    issue(p, m);
  };
  for (const k of Object.keys(s)) if (!SIGNATURE_KEYS.includes(k)) report([...path, k], `unknown key "${k}" in a signature; allowed: ${SIGNATURE_KEYS.join(', ')}`);
  const name = s['name'];
  if (typeof name !== 'string' || !KEBAB.test(name)) report([...path, 'name'], 'every signature needs a kebab-case "name" (shown next to its evidence)');
  const confidence = s['confidence'];
  if (confidence !== undefined && confidence !== 'high' && confidence !== 'medium' && confidence !== 'low') report([...path, 'confidence'], 'confidence must be high, medium or low');
  const scope = s['scope'];
  if (scope !== undefined && scope !== 'paste' && scope !== 'line') report([...path, 'scope'], 'scope must be paste or line');
  const severity = s['severity'];
  if (severity !== undefined && severity !== 'error' && severity !== 'warning') report([...path, 'severity'], 'severity must be error or warning');
  let log: string[] | undefined;
  if (s['log'] !== undefined) {
    const raw = typeof s['log'] === 'string' ? [s['log']] : s['log'];
    if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string')) report([...path, 'log'], 'log must be a log name or a list of them (CAS, SMSTS, IIS, …)');
    else log = raw as string[];
  }
  const lists: Partial<Record<'all' | 'any' | 'not', ConditionDef[]>> = {};
  for (const key of ['all', 'any', 'not'] as const) {
    const v = s[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length === 0) {
      report([...path, key], `"${key}" must be a non-empty list of conditions`);
      continue;
    }
    lists[key] = v.map((c, i) => {
      const problem = conditionProblem(c);
      if (problem) report([...path, key, i], problem);
      return c as ConditionDef;
    });
  }
  if (lists.all === undefined && lists.any === undefined) report(path, 'a signature needs an "all" or an "any" list of conditions');
  if (count > 0) return undefined;
  return {
    name: name as string,
    confidence: confidence as SignatureDef['confidence'],
    scope: scope as SignatureDef['scope'],
    severity: severity as SignatureDef['severity'],
    log,
    ...lists,
  };
}

/** Returns what is wrong with one condition, or undefined when it is well-formed. */
function conditionProblem(c: unknown): string | undefined {
  if (!isObj(c)) return `a condition is a one-key mapping: ${CONDITION_KEYS.join(', ')}`;
  const keys = Object.keys(c);
  if (keys.length !== 1 || !CONDITION_KEYS.includes(keys[0] as string)) {
    return `a condition has exactly one key out of ${CONDITION_KEYS.join(', ')}; found ${keys.join(', ') || 'none'} (put several conditions in separate list items)`;
  }
  const key = keys[0] as string;
  const v = c[key];
  const strings = (x: unknown): boolean => typeof x === 'string' || (Array.isArray(x) && x.length > 0 && x.every((e) => typeof e === 'string'));
  switch (key) {
    case 'code': {
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || list.some((x) => typeof x !== 'number' && typeof x !== 'string')) return 'code must be an error code (0x80091007) or a list of them';
      if (list.some((x) => typeof x === 'number' && (x < 0x80000000 || x > 0xffffffff))) return 'write error codes in hex with 0x (0x80091007): a number without 0x is read as decimal';
      return undefined;
    }
    case 'http':
      if (!isObj(v) || typeof v['status'] !== 'number' || (v['substatus'] !== undefined && typeof v['substatus'] !== 'number')
        || Object.keys(v).some((k) => k !== 'status' && k !== 'substatus')) return 'http must be { status: 404 } or { status: 404, substatus: 7 }';
      return undefined;
    case 'extension':
      if (Array.isArray(v)) return v.length > 0 && v.every((e) => typeof e === 'string') ? undefined : 'extension must list extensions such as [.config, .ldf]';
      if (!isObj(v) || Object.keys(v).some((k) => k !== 'denied_by_default' && k !== 'in')) return 'extension must be a list ([.config]) or { denied_by_default: true }';
      if (v['denied_by_default'] !== undefined && typeof v['denied_by_default'] !== 'boolean') return 'denied_by_default must be true or false';
      if (v['in'] !== undefined && !strings(v['in'])) return '"in" must list extensions';
      return undefined;
    case 'path':
      if (!isObj(v) || Object.keys(v).length === 0 || Object.keys(v).some((k) => !['segment', 'hidden_by_default', 'contains'].includes(k))) {
        return 'path must be { segment: bin }, { hidden_by_default: true } or { contains: "+" }';
      }
      if (v['segment'] !== undefined && !strings(v['segment'])) return 'segment must be a folder name or a list of them';
      if (v['contains'] !== undefined && !strings(v['contains'])) return 'contains must be a string or a list of strings';
      if (v['hidden_by_default'] !== undefined && typeof v['hidden_by_default'] !== 'boolean') return 'hidden_by_default must be true or false';
      return undefined;
    case 'event':
      if (!isObj(v) || Object.keys(v).some((k) => k !== 'source' && k !== 'id')
        || (v['source'] !== undefined && typeof v['source'] !== 'string') || (v['id'] !== undefined && typeof v['id'] !== 'number')
        || (v['source'] === undefined && v['id'] === undefined)) return 'event must be { source: BITS, id: 16384 } (either key may be left out, not both)';
      return undefined;
    case 'text':
      return strings(v) && (Array.isArray(v) ? v : [v]).every((t) => (t as string).length > 0) ? undefined : 'text must be a non-empty string or a list of them';
    case 'regex':
      return typeof v === 'string' && v.length > 0 ? undefined : 'regex must be a non-empty string (quote it in single quotes)';
    default:
      return undefined;
  }
}
