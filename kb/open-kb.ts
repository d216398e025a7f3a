import { join } from 'node:path';
import type { LoadedKb } from './assemble';
import { hashKbFiles, loadBundle } from './bundle';
import { KbLoadError } from './problem';
import { KB_DIR, projectRoot, readKbSources } from './sources';

/**
 * Loads the KB for the bot and the command line. From the prebuilt bundle
 * (`dist/kb-bundle.json`, made by `npm run build` after every check passed) when it was
 * built from exactly the files in `kb/`; otherwise from the Markdown, with the checks a
 * start must not skip, after a one-line notice. A stale bundle is never used.
 *
 * Throws KbLoadError listing every error with file and line when the KB fails its check:
 * schema errors, regexes that can backtrack catastrophically, or examples that do not hold.
 */
export const DEFAULT_BUNDLE = join(projectRoot(), 'dist', 'kb-bundle.json');

export interface OpenOptions {
  /** The bundle to try; `null` loads the Markdown. Default: dist/kb-bundle.json for the project's KB, none for another folder. */
  bundle?: string | null;
  /** Told, in one line, why the Markdown is loaded instead of the bundle. */
  notice?: (message: string) => void;
}

export async function openKnowledgeBase(dir: string = KB_DIR, options: OpenOptions = {}): Promise<LoadedKb> {
  const bundle = options.bundle !== undefined ? options.bundle : dir === KB_DIR ? DEFAULT_BUNDLE : null;
  if (bundle !== null) {
    // Hash the files without keeping their text: a current bundle needs only the code tables.
    const { hash, codes } = hashKbFiles(dir);
    const got = loadBundle(bundle, { codes }, hash);
    if ('loaded' in got) return got.loaded;
    options.notice?.(`${got.reason}; loading the KB from its Markdown files instead`);
  }
  const sources = readKbSources(dir);
  const { loadCheckedKb } = await import('./open-from-markdown');
  const loaded = await loadCheckedKb(sources, dir);
  if (loaded.problems.some((p) => p.severity === 'error')) throw new KbLoadError(loaded.problems);
  return loaded;
}
