#!/usr/bin/env node
/**
 * Runs a door of the built project (`index`: the server, `cli`: the command line),
 * building it first when it is missing or older than its sources. The check looks at file
 * times only (a few milliseconds); whether the KB bundle matches the KB is decided by its
 * content hash when the KB loads, and a stale bundle is never used.
 *
 *   node scripts/run.mjs index   # what npm start runs
 *   node scripts/run.mjs cli -- --json FILE
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [door, ...rest] = process.argv.slice(2);
const DOORS = { index: 'bot/index.js', cli: 'bot/cli.js' };
if (!(door in DOORS)) {
  process.stderr.write(`usage: node scripts/run.mjs ${Object.keys(DOORS).join('|')} [args]\n`);
  process.exit(2);
}

function newest(dir, exts) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, exts));
    else if (exts.some((x) => e.name.endsWith(x))) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const target = join(ROOT, 'dist', DOORS[door]);
const info = join(ROOT, 'dist', 'build-info.json');
const built = existsSync(target) && existsSync(info) ? statSync(info).mtimeMs : 0;
const sources = Math.max(
  ...['bot', 'capture', 'matchers'].map((d) => newest(join(ROOT, d), ['.ts'])),
  newest(join(ROOT, 'kb'), ['.ts', '.md', '.tsv', '.yaml', '.json']),
  statSync(join(ROOT, 'package.json')).mtimeMs,
);
if (built < sources) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
  if (r.status !== 0) process.exit(r.status ?? 2);
}
process.argv = [process.argv[0], target, ...(rest[0] === '--' ? rest.slice(1) : rest)];
await import(pathToFileURL(target).href);
