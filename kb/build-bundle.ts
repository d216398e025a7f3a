/**
 * `npm run build` (second step): writes dist/kb-bundle.json and its full-text index,
 * dist/kb-bundle.index.json, from the KB in kb/, after the
 * same checks a start from Markdown runs (schema, regex proofs, every example). With
 * --if-stale it does nothing when the bundle is already built from these files. A KB that
 * fails its check writes no bundle and exits 1 with the problems, file and line.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { kbHash, loadBundle, writeBundle } from './bundle';
import { DEFAULT_BUNDLE } from './open-kb';
import { loadCheckedKb } from './open-from-markdown';
import { formatProblem } from './problem';
import { KB_DIR, readKbSources } from './sources';

async function main(argv: readonly string[]): Promise<number> {
  const ifStale = argv.includes('--if-stale');
  const started = performance.now();
  const sources = readKbSources(KB_DIR);
  const hash = kbHash(sources, KB_DIR);
  if (ifStale && 'loaded' in loadBundle(DEFAULT_BUNDLE, sources, hash)) return 0;
  const loaded = await loadCheckedKb(sources, KB_DIR);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    for (const p of errors.slice(0, 20)) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`build: the KB has ${errors.length} error(s); no bundle written. Run npm run kb:check for the full list.\n`);
    return 1;
  }
  mkdirSync(dirname(DEFAULT_BUNDLE), { recursive: true });
  const { bundleBytes, indexBytes } = writeBundle(DEFAULT_BUNDLE, loaded, hash);
  process.stderr.write(`build: KB bundle written (${loaded.stats.entries} entries, ${loaded.families.length} families, ${(bundleBytes / 1024).toFixed(0)} KB, full-text index ${(indexBytes / 1024).toFixed(0)} KB) in ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`build: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 2;
});
