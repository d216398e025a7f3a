import matter from 'gray-matter';
import YAML, { LineCounter } from 'yaml';
import type { IisDefaults } from '../matchers/signatures/definition';
import { assembleKb, type LoadedEntry, type LoadedKb } from './assemble';
import { parseEntryBody, REQUIRED_SECTIONS } from './entry-body';
import { validateFrontMatter } from './entry-schema';
import { loadDomain, loadFamilies, loadSituations } from './load-symptoms';
import type { KbProblem } from './problem';
import { KB_DIR, readKbSources, type KbSources, type SourceFile } from './sources';
import { yamlLocator } from './yaml-locate';

export { KB_DIR, readKbSources, type KbSources, type SourceFile } from './sources';
export type { LoadedEntry, LoadedKb, ParsedKb } from './assemble';

export function loadKbFromDir(dir: string = KB_DIR, label = 'kb'): LoadedKb {
  return buildKb(readKbSources(dir, label));
}

/** Builds the KB from file contents: parse, validate, compile signatures, index. Collects every problem rather than stopping at the first. */
export function buildKb(sources: KbSources): LoadedKb {
  const started = performance.now();
  const problems: KbProblem[] = [];
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

  const situations = loadSituations(sources.situations, problems);
  const domain = loadDomain(sources.domain, problems);
  const families = loadFamilies(sources.families, new Map(entries.map((e, i) => [e.front.id, i])), new Set(situations.map((x) => x.id)), problems);
  return assembleKb({ entries, families, situations, domain, iis, codes: sources.codes }, problems, started);
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

