import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the project and its KB live, and reading the KB's files. No parsing here: this
 * module is what a start from the prebuilt bundle needs to tell whether the bundle is
 * current, without loading the YAML and Markdown parsers.
 */

/**
 * The project's root: the nearest folder above this module that holds `kb/entries`. The
 * same answer whether the code runs from its TypeScript sources or from the build in `dist/`.
 */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'kb', 'entries')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`support-kb-bot: cannot find the project folder (one with kb/entries and package.json) above ${from}`);
    dir = up;
  }
}

/** The project's `kb/` folder. */
export const KB_DIR = join(projectRoot(), 'kb');

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

/** The KB's files of one kind, in the order the hash reads them: a folder's files by name, or one file (missing reads as empty). */
type KbPart = { key: 'entries' | 'codes' | 'families'; sub: string; ext: string } | { key: 'iis' | 'situations' | 'domain'; path: string };

/** Every part of the KB, in the order {@link kbHash} and {@link hashKbFiles} read them. */
export const KB_PARTS: readonly KbPart[] = [
  { key: 'entries', sub: 'entries', ext: '.md' },
  { key: 'codes', sub: 'codes', ext: '.tsv' },
  { key: 'families', sub: 'families', ext: '.yaml' },
  { key: 'iis', path: 'iis/request-filtering.yaml' },
  { key: 'situations', path: 'situations.yaml' },
  { key: 'domain', path: 'domain.yaml' },
];

/** The files of a part: [path relative to the KB folder, full path]. */
export function partFiles(dir: string, part: KbPart): [string, string][] {
  if ('path' in part) return [[part.path, join(dir, part.path)]];
  let names: string[];
  try {
    names = readdirSync(join(dir, part.sub)).filter((n) => n.endsWith(part.ext)).sort();
  } catch {
    names = [];
  }
  return names.map((n) => [`${part.sub}/${n}`, join(dir, part.sub, n)]);
}

/** A file's bytes, or none when it cannot be read (a missing optional file reads as empty). */
export function readOrEmpty(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

export function readKbSources(dir: string = KB_DIR, label = 'kb'): KbSources {
  const read = (part: KbPart): SourceFile[] => partFiles(dir, part).map(([rel, full]) => ({
    name: `${label}/${rel}`,
    // Folder files that vanish between listing and reading are an error worth seeing; single files may be missing.
    text: 'path' in part ? readOrEmpty(full).toString('utf8') : readFileSync(full, 'utf8'),
  }));
  const [entries, codes, families, iis, situations, domain] = KB_PARTS.map(read) as SourceFile[][];
  return {
    entries: entries ?? [],
    codes: codes ?? [],
    families: families ?? [],
    iis: iis?.[0] ?? { name: `${label}/iis/request-filtering.yaml`, text: '' },
    situations: situations?.[0] ?? { name: `${label}/situations.yaml`, text: '' },
    domain: domain?.[0] ?? { name: `${label}/domain.yaml`, text: '' },
  };
}
