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
