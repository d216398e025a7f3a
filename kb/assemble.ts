import { parseCodeTable, type CodeTable } from '../matchers/codes/code-table';
import type { EntryAnswer, KnowledgeBase } from '../matchers/knowledge';
import { ConditionPool, compileSignature, SignatureCompileError, type CompiledSignature } from '../matchers/signatures/compile';
import type { IisDefaults } from '../matchers/signatures/definition';
import { buildMatcherSet } from '../matchers/signatures/scan';
import type { DomainVocabulary, SituationDef } from '../matchers/symptoms/definition';
import { compileSymptoms } from '../matchers/symptoms/observe';
import { sectionText, type EntryBody } from './entry-body';
import type { EntryFrontMatter } from './entry-schema';
import type { LoadedFamily } from './load-symptoms';
import type { KbProblem } from './problem';
import { buildSearchIndex, type SearchIndex } from './search-index';
import type { SourceFile } from './sources';

/**
 * The second half of loading the KB: from parsed, validated content to what the core runs
 * (compiled signatures, code table, symptom matchers, full-text index). Both the Markdown
 * path (`load-kb.ts`, which parses YAML) and the prebuilt bundle (`bundle.ts`, which
 * reads JSON) end here, so the two give the same KnowledgeBase.
 */
export interface LoadedEntry {
  file: string;
  /** The whole file as read, for checks that point into the body (placeholders, leftover TODOs); empty when loaded from the bundle. */
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
  /** The full-text index, for the bundle. */
  index: SearchIndex;
  stats: { entries: number; codes: number; signatures: number; conditions: number; indexBuildMs: number; loadMs: number };
}

/** Everything the KB's files say, parsed and validated, before compiling: what the bundle stores. */
export interface ParsedKb {
  entries: LoadedEntry[];
  families: LoadedFamily[];
  situations: SituationDef[];
  domain: DomainVocabulary;
  iis: IisDefaults;
  /** The code tables as written. */
  codes: SourceFile[];
  /** The code table already made from `codes` (the bundle's, read on demand); parsed from `codes` when absent. */
  codeTable?: CodeTable;
}

export function assembleKb(parsed: ParsedKb, problems: KbProblem[], started: number, index?: SearchIndex): LoadedKb {
  const { entries, families, situations, domain, iis } = parsed;
  const { table, problems: tableProblems } = parsed.codeTable ? { table: parsed.codeTable, problems: [] } : parseCodeTable(parsed.codes);
  for (const p of tableProblems) problems.push({ ...p, severity: 'error' });
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
  // The cause, steps and links are read when an answer shows the entry: from the bundle,
  // an entry's body is parsed only then (see lazyEntry in bundle.ts).
  const answers: EntryAnswer[] = entries.map((e) => ({
    id: e.front.id,
    title: e.front.title,
    get cause() {
      return sectionText(e.body, 'cause');
    },
    get resolution() {
      return e.body.steps;
    },
    get links() {
      return e.front.links;
    },
  }));
  const search = index ?? buildSearchIndex(entries.map((e, ref) => ({
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
    search: (text) => search.search(text),
  };
  return {
    kb,
    entries,
    families,
    iis,
    problems,
    index: search,
    stats: {
      entries: entries.length,
      codes: table.size,
      signatures: signatures.length,
      conditions: pool.conditions.length,
      indexBuildMs: search.buildMs,
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
