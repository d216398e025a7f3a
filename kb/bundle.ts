import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkedCodeTable } from '../matchers/codes/code-table';
import { assembleKb, type LoadedEntry, type LoadedKb } from './assemble';
import type { EntryBody } from './entry-body';
import type { EntryFrontMatter } from './entry-schema';
import type { LoadedFamily } from './load-symptoms';
import { loadSearchIndex, type SearchIndex } from './search-index';
import { KB_PARTS, partFiles, readOrEmpty, type KbSources, type SourceFile } from './sources';

/**
 * The prebuilt KB: one JSON file with the validated entries, families, situations, domain
 * vocabulary, IIS defaults and code tables, and next to it a second file with the serialized
 * full-text index (`kb-bundle.json`, `kb-bundle.index.json`), made by `npm run build` after
 * the KB passed every check (schema, regex proofs, examples). Starting from them skips the
 * YAML parser, the regex prover and the index build.
 *
 * The index has a file of its own because most starts never search (a bare code, a log the
 * signatures answer): reading it with the rest cost a one-code run 3 MB of its 73 MB peak.
 * It is read on the first search.
 *
 * Both are keyed by a hash of the KB's files: a bundle whose hash differs from the files on
 * disk is never used (the caller loads the Markdown instead and says so), and an index file
 * whose hash differs from its bundle's is refused when it is read.
 */
export const BUNDLE_FORMAT = 6;

/** The full-text index's file next to a bundle: `kb-bundle.json` → `kb-bundle.index.json`. */
export function bundleIndexPath(bundlePath: string): string {
  return bundlePath.replace(/(\.json)?$/, '.index.json');
}

/**
 * An entry as the bundle stores it: what a start needs (its id, title and signatures) as
 * JSON, and the rest (body, links, examples, questions…) as JSON text inside the JSON,
 * parsed the first time something reads it. A reply reads it for the few entries it
 * shows; a start does not read it at all, so a large KB's bodies cost it a string scan
 * rather than their objects.
 */
interface BundledEntry {
  file: string;
  id: string;
  title: string;
  signatures: EntryFrontMatter['signatures'];
  /** JSON of {@link EntryRest}. */
  rest: string;
}

type LazyFrontKey = Exclude<keyof EntryFrontMatter, 'id' | 'title' | 'signatures'>;
const LAZY_FRONT_KEYS: readonly LazyFrontKey[] = ['products', 'tags', 'questions', 'links', 'examples'];

interface EntryRest {
  front: Pick<EntryFrontMatter, LazyFrontKey>;
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
  /** JSON of BundledFamily[], in ASCII (see asciiJson). */
  families: string;
  situations: LoadedKb['kb']['symptoms']['defs']['situations'];
  domain: LoadedKb['kb']['symptoms']['defs']['domain'];
  iis: { deniedExtensions: string[]; hiddenSegments: string[] };
  /** Rows in the code tables, as the check counted them (the rows themselves are read from the tables on demand). */
  codes: number;
}

/** The index file: the serialized lunr index, with the format and hash of the bundle it belongs to. */
export interface BundledIndex {
  format: number;
  hash: string;
  index: unknown;
}

/**
 * The one layout both hashes below read: each file's path inside the KB folder and its
 * content, in KB_PARTS order, then the regex proofs.
 */
function kbDigest(files: Iterable<readonly [string, string | Uint8Array]>, proofs: Uint8Array): string {
  const h = createHash('sha256');
  for (const [rel, content] of files) h.update(rel).update('\0').update(content).update('\0');
  h.update('regex-safety.json').update('\0').update(proofs).update('\0');
  return h.digest('hex');
}

/**
 * A hash of everything the KB is made of: every source file (name and text) and the regex
 * proofs. Any edit to an entry, a family, a code table or the vocabulary changes it.
 */
export function kbHash(sources: KbSources, kbDir: string): string {
  const files = [...sources.entries, ...sources.codes, ...sources.families, sources.iis, sources.situations, sources.domain];
  return kbDigest(files.map((f) => [f.name.replace(/^[^/]*\//, ''), f.text] as const), readOrEmpty(join(kbDir, 'regex-safety.json')));
}

/**
 * The same hash as {@link kbHash}, read straight from the files without keeping their text,
 * and the code tables (the one part a start from the bundle reads again, on a code's first
 * lookup). A start that finds its bundle current never holds the entries' Markdown: on a
 * one-code run that is the difference between the bytes of ~150 files and nothing. The bytes
 * hashed are the file's own; kbHash hashes the UTF-8 of the decoded text, which is the same
 * bytes for any file that is valid UTF-8 (the check refuses the others, and a mismatch only
 * makes the start load the Markdown instead).
 */
export function hashKbFiles(dir: string, label = 'kb'): { hash: string; codes: SourceFile[] } {
  const codes: SourceFile[] = [];
  function* files(): Generator<readonly [string, Uint8Array]> {
    for (const part of KB_PARTS) {
      for (const [rel, full] of partFiles(dir, part)) {
        const bytes = readOrEmpty(full);
        if (part.key === 'codes') codes.push({ name: `${label}/${rel}`, text: bytes.toString('utf8') });
        yield [rel, bytes];
      }
    }
  }
  const hash = kbDigest(files(), readOrEmpty(join(dir, 'regex-safety.json')));
  return { hash, codes };
}

/**
 * JSON text with every character above U+007F written as a \u escape. A bundle whose text
 * is all ASCII is read into a string of one byte per character; a single typographic quote
 * anywhere makes Node hold the whole file at two bytes per character (1.3 MB more for this
 * KB, in a one-code run that peaks at 70 MB). The parts of the bundle written as JSON text
 * (bodies, families) are where such characters are; ids, titles and signatures
 * are ASCII in practice, and the bundle is read correctly either way.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function bundleOf(loaded: LoadedKb, hash: string): KbBundle {
  const defs = loaded.kb.symptoms.defs;
  return {
    format: BUNDLE_FORMAT,
    hash,
    entries: loaded.entries.map((e) => {
      const { id, title, signatures, ...front } = e.front;
      const rest: EntryRest = { front, sections: [...e.body.sections.entries()], steps: e.body.steps };
      return { file: e.file, id, title, signatures, rest: asciiJson(rest) };
    }),
    families: asciiJson(loaded.families.map((f): BundledFamily => ({ file: f.file, def: f.def, notMembers: f.notMembers, memberIds: f.memberIds, examples: f.examples }))),
    situations: defs.situations,
    domain: defs.domain,
    iis: { deniedExtensions: [...loaded.iis.deniedExtensions], hiddenSegments: [...loaded.iis.hiddenSegments] },
    codes: loaded.kb.codes.size,
  };
}

export function bundledIndexOf(loaded: LoadedKb, hash: string): BundledIndex {
  return { format: BUNDLE_FORMAT, hash, index: loaded.index.toJSON() };
}

/**
 * Writes the bundle and its index file, each whole and then renamed, the index first: a
 * reader never sees half a file, and a bundle on disk always has its index beside it.
 * Returns the two files' sizes in bytes.
 */
export function writeBundle(path: string, loaded: LoadedKb, hash: string): { bundleBytes: number; indexBytes: number } {
  const write = (target: string, json: string): number => {
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, json);
    renameSync(tmp, target);
    return Buffer.byteLength(json);
  };
  const indexBytes = write(bundleIndexPath(path), JSON.stringify(bundledIndexOf(loaded, hash)));
  const bundleBytes = write(path, JSON.stringify(bundleOf(loaded, hash)));
  return { bundleBytes, indexBytes };
}

/**
 * The full-text index, read from its file and restored on the first query: most pastes (a
 * code, a log that the signatures answer) never search. An index file that is gone or was
 * built for other KB files (dist/ rebuilt while this process ran) is an error that says what
 * to do, never a silent search of another KB.
 */
function lazyIndex(path: string, hash: string, size: number): SearchIndex {
  let index: SearchIndex | undefined;
  const load = (): SearchIndex => (index ??= loadSearchIndex(readBundledIndex(path, hash)));
  return {
    buildMs: 0,
    size,
    search: (text) => load().search(text),
    toJSON: () => load().toJSON(),
  };
}

function readBundledIndex(path: string, hash: string): unknown {
  let got: Partial<BundledIndex>;
  try {
    got = JSON.parse(readFileSync(path, 'utf8')) as Partial<BundledIndex>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`support-kb-bot: the KB's full-text index ${path} cannot be read (${code ?? (e as Error).message.split('\n')[0]}); run npm run build, then restart`);
  }
  if (got.format !== BUNDLE_FORMAT || got.hash !== hash || got.index === undefined) {
    throw new Error(`support-kb-bot: the KB's full-text index ${path} was built for other KB files than the bundle in use; run npm run build, then restart`);
  }
  return got.index;
}

/** A bundled entry whose id, title and signatures are read now, and the rest when first used. */
function lazyEntry(e: BundledEntry): LoadedEntry {
  let rest: EntryRest | undefined;
  const read = (): EntryRest => (rest ??= JSON.parse(e.rest) as EntryRest);
  const front = { id: e.id, title: e.title, signatures: e.signatures } as EntryFrontMatter;
  for (const key of LAZY_FRONT_KEYS) {
    Object.defineProperty(front, key, { enumerable: true, configurable: true, get: () => read().front[key] });
  }
  let sections: EntryBody['sections'] | undefined;
  const body: EntryBody = {
    get sections() {
      return (sections ??= new Map(read().sections));
    },
    get steps() {
      return read().steps;
    },
  };
  return { file: e.file, text: '', front, body, locate: nowhere };
}

/** Problems in a bundled KB point at the file; lines are in the sources, which `kb:check` reads. */
const nowhere = (): { line: number; column: number } => ({ line: 1, column: 1 });

/**
 * The KB from a bundle, or the reason it cannot be used (unreadable, another format, or
 * built from other files than `hash`). The code tables come from `sources`, read anyway
 * for the hash; as they passed the check the bundle was built after, a code's rows are
 * read from them when it is first looked up (see checkedCodeTable) rather than all 4,000
 * parsed at start. The bundle holds what is costly to make.
 */
export function loadBundle(path: string, sources: Pick<KbSources, 'codes'>, hash: string): { loaded: LoadedKb } | { reason: string } {
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
  const indexPath = bundleIndexPath(path);
  if (!existsSync(indexPath)) return { reason: `the KB bundle has no full-text index beside it (${basename(indexPath)}; run npm run build)` };
  const entries: LoadedEntry[] = bundle.entries.map(lazyEntry);
  const families: LoadedFamily[] = (JSON.parse(bundle.families) as BundledFamily[]).map((f) => ({ ...f, locate: nowhere }));
  const iis = { deniedExtensions: new Set(bundle.iis.deniedExtensions), hiddenSegments: new Set(bundle.iis.hiddenSegments) };
  const problems: LoadedKb['problems'] = [];
  const codeTable = checkedCodeTable(sources.codes, bundle.codes);
  const loaded = assembleKb({ entries, families, situations: bundle.situations, domain: bundle.domain, iis, codes: sources.codes, codeTable }, problems, started, lazyIndex(indexPath, bundle.hash, entries.length));
  if (problems.length > 0) return { reason: `the KB bundle does not assemble (${problems[0]?.message ?? ''}); run npm run build` };
  return { loaded };
}
