import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleKb, type LoadedEntry, type LoadedKb } from './assemble';
import type { EntryBody } from './entry-body';
import type { EntryFrontMatter } from './entry-schema';
import type { LoadedFamily } from './load-symptoms';
import { loadSearchIndex, type SearchIndex } from './search-index';
import type { KbSources } from './sources';

/**
 * The prebuilt KB: one JSON file with the validated entries, families, situations, domain
 * vocabulary, IIS defaults, code tables and the serialized full-text index, made by
 * `npm run build` after the KB passed every check (schema, regex proofs, examples).
 * Starting from it skips the YAML parser, the regex prover and the index build.
 *
 * It is keyed by a hash of the KB's files: a bundle whose hash differs from the files on
 * disk is never used (the caller loads the Markdown instead and says so).
 */
export const BUNDLE_FORMAT = 1;

interface BundledEntry {
  file: string;
  front: EntryFrontMatter;
  sections: [string, { text: string; line: number }][];
  steps: string[];
}

interface BundledFamily {
  file: string;
  def: LoadedFamily['def'];
  notMembers: LoadedFamily['notMembers'];
  memberIds: string[];
  examples: LoadedFamily['examples'];
}

export interface KbBundle {
  format: number;
  /** sha256 of the KB's files (see kbHash). */
  hash: string;
  entries: BundledEntry[];
  families: BundledFamily[];
  situations: LoadedKb['kb']['symptoms']['defs']['situations'];
  domain: LoadedKb['kb']['symptoms']['defs']['domain'];
  iis: { deniedExtensions: string[]; hiddenSegments: string[] };
  index: unknown;
}

/**
 * A hash of everything the KB is made of: every source file (name and text) and the regex
 * proofs. Any edit to an entry, a family, a code table or the vocabulary changes it.
 */
export function kbHash(sources: KbSources, kbDir: string): string {
  const h = createHash('sha256');
  const add = (name: string, text: string): void => {
    h.update(name.replace(/^[^/]*\//, '')).update('\0').update(text).update('\0');
  };
  for (const f of [...sources.entries, ...sources.codes, ...sources.families, sources.iis, sources.situations, sources.domain]) add(f.name, f.text);
  let proofs = '';
  try {
    proofs = readFileSync(join(kbDir, 'regex-safety.json'), 'utf8');
  } catch {
    proofs = '';
  }
  add('regex-safety.json', proofs);
  return h.digest('hex');
}

export function bundleOf(loaded: LoadedKb, hash: string): KbBundle {
  const defs = loaded.kb.symptoms.defs;
  return {
    format: BUNDLE_FORMAT,
    hash,
    entries: loaded.entries.map((e) => ({ file: e.file, front: e.front, sections: [...e.body.sections.entries()], steps: e.body.steps })),
    families: loaded.families.map((f) => ({ file: f.file, def: f.def, notMembers: f.notMembers, memberIds: f.memberIds, examples: f.examples })),
    situations: defs.situations,
    domain: defs.domain,
    iis: { deniedExtensions: [...loaded.iis.deniedExtensions], hiddenSegments: [...loaded.iis.hiddenSegments] },
    index: loaded.index.toJSON(),
  };
}

/**
 * The full-text index, restored on its first query: most pastes (a code, a log that the
 * signatures answer) never search, and restoring it is a third of a start from the bundle.
 */
function lazyIndex(serialized: unknown, size: number): SearchIndex {
  let index: SearchIndex | undefined;
  return {
    buildMs: 0,
    size,
    search: (text) => (index ??= loadSearchIndex(serialized)).search(text),
    toJSON: () => serialized,
  };
}

/** Problems in a bundled KB point at the file; lines are in the sources, which `kb:check` reads. */
const nowhere = (): { line: number; column: number } => ({ line: 1, column: 1 });

/**
 * The KB from a bundle, or the reason it cannot be used (unreadable, another format, or
 * built from other files than `hash`). The code tables come from `sources`, read anyway
 * for the hash (parsing them is cheap); the bundle holds what is costly to make.
 */
export function loadBundle(path: string, sources: KbSources, hash: string): { loaded: LoadedKb } | { reason: string } {
  const started = performance.now();
  let bundle: KbBundle;
  try {
    bundle = JSON.parse(readFileSync(path, 'utf8')) as KbBundle;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? 'there is no KB bundle (run npm run build)' : `the KB bundle cannot be read (${code ?? (e as Error).message.split('\n')[0]})` };
  }
  if (bundle.format !== BUNDLE_FORMAT) return { reason: `the KB bundle has format ${String(bundle.format)}, this version reads ${BUNDLE_FORMAT} (run npm run build)` };
  if (bundle.hash !== hash) return { reason: 'the KB bundle was built from other KB files than the ones in kb/ (run npm run build)' };
  const entries: LoadedEntry[] = bundle.entries.map((e) => {
    const body: EntryBody = { sections: new Map(e.sections), steps: e.steps };
    return { file: e.file, text: '', front: e.front, body, locate: nowhere };
  });
  const families: LoadedFamily[] = bundle.families.map((f) => ({ ...f, locate: nowhere }));
  const iis = { deniedExtensions: new Set(bundle.iis.deniedExtensions), hiddenSegments: new Set(bundle.iis.hiddenSegments) };
  const problems: LoadedKb['problems'] = [];
  const loaded = assembleKb({ entries, families, situations: bundle.situations, domain: bundle.domain, iis, codes: sources.codes }, problems, started, lazyIndex(bundle.index, entries.length));
  if (problems.length > 0) return { reason: `the KB bundle does not assemble (${problems[0]?.message ?? ''}); run npm run build` };
  return { loaded };
}
