import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import YAML, { LineCounter } from 'yaml';
import { parseCodeTable } from '../matchers/codes/code-table';
import type { KnowledgeBase, EntryAnswer } from '../matchers/knowledge';
import { ConditionPool, compileSignature, SignatureCompileError, type CompiledSignature } from '../matchers/signatures/compile';
import type { IisDefaults } from '../matchers/signatures/definition';
import { buildMatcherSet } from '../matchers/signatures/scan';
import { compileSymptoms } from '../matchers/symptoms/observe';
import { loadDomain, loadFamilies, loadSituations, type LoadedFamily } from './load-symptoms';
import { parseEntryBody, REQUIRED_SECTIONS, sectionText, type EntryBody } from './entry-body';
import { validateFrontMatter, type EntryFrontMatter } from './entry-schema';
import type { KbProblem } from './problem';
import { buildSearchIndex } from './search-index';
import { yamlLocator } from './yaml-locate';

/** The folder this module lives in: `kb/`. */
export const KB_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface SourceFile {
  /** Path shown in problems, relative to the project root where possible (`kb/entries/x.md`). */
  name: string;
  text: string;
}

export interface KbSources {
  entries: SourceFile[];
  codes: SourceFile[];
  iis: SourceFile;
  /** `families/*.yaml`: symptom families. */
  families: SourceFile[];
  /** `situations.yaml`: what a paste can say about the deployment, and the follow-up questions. */
  situations: SourceFile;
  /** `domain.yaml`: the words that place a text in the KB's domain, and markers of other products. */
  domain: SourceFile;
}

export interface LoadedEntry {
  file: string;
  /** The whole file as read, for checks that point into the body (placeholders, leftover TODOs). */
  text: string;
  front: EntryFrontMatter;
  body: EntryBody;
  /** Line and column of a front-matter key, for problems. */
  locate(path: readonly (string | number)[]): { line: number; column: number };
}

export interface LoadedKb {
  kb: KnowledgeBase;
  entries: LoadedEntry[];
  families: LoadedFamily[];
  iis: IisDefaults;
  problems: KbProblem[];
  stats: { entries: number; codes: number; signatures: number; conditions: number; indexBuildMs: number; loadMs: number };
}

export function readKbSources(dir: string = KB_DIR, label = 'kb'): KbSources {
  const list = (sub: string, ext: string): SourceFile[] => {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub)).filter((n) => n.endsWith(ext)).sort();
    } catch {
      names = [];
    }
    return names.map((n) => ({ name: `${label}/${sub}/${n}`, text: readFileSync(join(dir, sub, n), 'utf8') }));
  };
  const one = (path: string): SourceFile => {
    let text = '';
    try {
      text = readFileSync(join(dir, path), 'utf8');
    } catch {
      text = '';
    }
    return { name: `${label}/${path}`, text };
  };
  return {
    entries: list('entries', '.md'),
    codes: list('codes', '.tsv'),
    iis: one('iis/request-filtering.yaml'),
    families: list('families', '.yaml'),
    situations: one('situations.yaml'),
    domain: one('domain.yaml'),
  };
}

export function loadKbFromDir(dir: string = KB_DIR, label = 'kb'): LoadedKb {
  return buildKb(readKbSources(dir, label));
}

/** Builds the KB from file contents: parse, validate, compile signatures, index. Collects every problem rather than stopping at the first. */
export function buildKb(sources: KbSources): LoadedKb {
  const started = performance.now();
  const problems: KbProblem[] = [];
  const { table, problems: tableProblems } = parseCodeTable(sources.codes);
  for (const p of tableProblems) problems.push({ ...p, severity: 'error' });
  const iis = parseIisDefaults(sources.iis, problems);

  const entries: LoadedEntry[] = [];
  const ids = new Map<string, string>();
  for (const file of sources.entries) {
    const entry = parseEntryFile(file, problems);
    if (!entry) continue;
    const expectedId = file.name.replace(/^.*[\\/]/, '').replace(/\.md$/, '');
    if (entry.front.id !== expectedId) {
      problems.push({ file: file.name, ...entry.locate(['id']), code: 'KB001', severity: 'error', message: `id "${entry.front.id}" differs from the file name; rename the file to ${entry.front.id}.md or change the id to ${expectedId}` });
    }
    const other = ids.get(entry.front.id);
    if (other !== undefined) {
      problems.push({ file: file.name, ...entry.locate(['id']), code: 'KB002', severity: 'error', message: `id "${entry.front.id}" is already used by ${other}` });
      continue;
    }
    ids.set(entry.front.id, file.name);
    entries.push(entry);
  }

  const pool = new ConditionPool(iis);
  const signatures: CompiledSignature[] = [];
  entries.forEach((entry, entryIndex) => {
    entry.front.signatures.forEach((def, i) => {
      try {
        signatures.push(compileSignature(def, entryIndex, pool, ['signatures', i]));
      } catch (e) {
        if (!(e instanceof SignatureCompileError)) throw e;
        const code = e.path.includes('regex') ? 'KB005' : 'KB004';
        problems.push({ file: entry.file, ...entry.locate(e.path), code, severity: 'error', message: e.message });
      }
    });
  });
  const situations = loadSituations(sources.situations, problems);
  const domain = loadDomain(sources.domain, problems);
  const families = loadFamilies(sources.families, new Map(entries.map((e, i) => [e.front.id, i])), new Set(situations.map((x) => x.id)), problems);
  const answers: EntryAnswer[] = entries.map((e) => ({
    id: e.front.id,
    title: e.front.title,
    cause: sectionText(e.body, 'cause'),
    resolution: e.body.steps,
    links: e.front.links,
  }));
  const index = buildSearchIndex(entries.map((e, ref) => ({
    ref,
    title: e.front.title,
    symptoms: `${sectionText(e.body, 'symptoms')} ${e.front.tags.join(' ')}\n${e.front.questions.map((q) => q.text).join('\n')}`,
    codes: signatureCodes(e.front).join(' '),
    body: [...e.body.sections.values()].map((s) => s.text).join('\n'),
  })));
  const kb: KnowledgeBase = {
    entries: answers,
    matchers: buildMatcherSet(signatures, pool.conditions),
    codes: table,
    symptoms: compileSymptoms({ families: families.map((f) => f.def), situations, domain }),
    search: (text) => index.search(text),
  };
  return {
    kb,
    entries,
    families,
    iis,
    problems,
    stats: {
      entries: entries.length,
      codes: table.size,
      signatures: signatures.length,
      conditions: pool.conditions.length,
      indexBuildMs: index.buildMs,
      loadMs: performance.now() - started,
    },
  };
}

function signatureCodes(front: EntryFrontMatter): string[] {
  const out: string[] = [];
  for (const s of front.signatures) {
    for (const c of [...(s.all ?? []), ...(s.any ?? [])]) {
      if ('code' in c) for (const v of Array.isArray(c.code) ? c.code : [c.code]) {
        out.push(typeof v === 'number' ? '0x' + (v >>> 0).toString(16).padStart(8, '0') : String(v));
      }
      if ('http' in c) out.push(c.http.substatus !== undefined ? `${c.http.status}.${c.http.substatus}` : String(c.http.status));
    }
  }
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Line of the file minus line of the front-matter text: gray-matter's `matter` starts right
 * after the opening "---" (with the rest of that line), so its line 1 is the file's line 1.
 */
function matterLineOffset(fileText: string, matterText?: string): number {
  const at = matterText !== undefined && matterText.length > 0 ? fileText.indexOf(matterText) : 3;
  return at >= 0 ? lineAt(fileText, at) - 1 : 1;
}

export function parseEntryFile(source: SourceFile, problems: KbProblem[]): LoadedEntry | undefined {
  // Windows editors save CRLF; gray-matter would leave a lone "\r" at the end of the front-matter.
  const file: SourceFile = { name: source.name, text: source.text.replace(/\r\n?/g, '\n') };
  if (!/^---\n/.test(file.text)) {
    problems.push({ file: file.name, line: 1, column: 1, code: 'KB003', severity: 'error', message: 'the file must start with a "---" line that opens the YAML front-matter' });
    return undefined;
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(file.text, { engines: { yaml: (s: string) => YAML.parse(s, { uniqueKeys: true }) as object } });
  } catch (e) {
    const err = e as { linePos?: { line: number; col: number }[]; message?: string };
    const pos = err.linePos?.[0];
    problems.push({
      file: file.name, line: (pos?.line ?? 1) + matterLineOffset(file.text), column: pos?.col ?? 1, code: 'KB003', severity: 'error',
      message: `front-matter is not valid YAML: ${(err.message ?? String(e)).split('\n')[0]}`,
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(parsed.matter, { lineCounter });
  const offset = matterLineOffset(file.text, parsed.matter);
  const locate = yamlLocator(doc, lineCounter, offset);
  const { value, issues } = validateFrontMatter(parsed.data);
  for (const i of issues) problems.push({ file: file.name, ...locate(i.path), code: i.code, severity: 'error', message: i.message });
  if (!value) return undefined;
  const bodyOffset = file.text.length - parsed.content.length;
  const body = parseEntryBody(parsed.content, lineAt(file.text, bodyOffset));
  for (const name of REQUIRED_SECTIONS) {
    if (!body.sections.has(name)) {
      problems.push({ file: file.name, line: lineAt(file.text, bodyOffset), column: 1, code: 'KB011', severity: 'error', message: `missing "## ${name[0]?.toUpperCase()}${name.slice(1)}" section` });
    }
  }
  const resolution = body.sections.get('resolution');
  if (resolution && body.steps.length === 0) {
    problems.push({ file: file.name, line: resolution.line, column: 1, code: 'KB011', severity: 'error', message: 'the Resolution section needs numbered steps ("1. …", "2. …")' });
  }
  value.links.forEach((l, i) => {
    if (!/^https:\/\/[^\s]+$/.test(l.url)) {
      problems.push({ file: file.name, ...locate(['links', i, 'url']), code: 'KB012', severity: 'error', message: `link "${l.url}" must be an https:// address` });
    }
  });
  return { file: file.name, text: file.text, front: value, body, locate };
}

function parseIisDefaults(file: SourceFile, problems: KbProblem[]): IisDefaults {
  const empty: IisDefaults = { deniedExtensions: new Set(), hiddenSegments: new Set() };
  if (file.text.length === 0) {
    problems.push({ file: file.name, line: 1, column: 1, code: 'KB306', severity: 'error', message: 'the IIS request-filtering defaults are missing; restore kb/iis/request-filtering.yaml' });
    return empty;
  }
  let data: unknown;
  try {
    data = YAML.parse(file.text);
  } catch (e) {
    const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    problems.push({ file: file.name, line: pos?.line ?? 1, column: pos?.col ?? 1, code: 'KB306', severity: 'error', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` });
    return empty;
  }
  const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const denied = obj['denied_extensions'];
  const hidden = obj['hidden_segments'];
  if (!Array.isArray(denied) || !Array.isArray(hidden) || obj['source'] === undefined) {
    problems.push({ file: file.name, line: 1, column: 1, code: 'KB306', severity: 'error', message: 'needs "source", "denied_extensions" and "hidden_segments" lists' });
    return empty;
  }
  return {
    deniedExtensions: new Set(denied.map((e) => String(e).toLowerCase())),
    hiddenSegments: new Set(hidden.map((s) => String(s).toLowerCase())),
  };
}

