#!/usr/bin/env node
/**
 * `npm run build`: the runnable JavaScript in dist/ (esbuild, one ES module per door with
 * shared chunks; packages stay in node_modules) and the prebuilt KB bundle
 * dist/kb-bundle.json and dist/kb-bundle.index.json (written by dist/kb/build-bundle.js after every KB check passed).
 *
 * `--if-stale` (used before `npm start` and `npm run diagnose`) rebuilds only what is out
 * of date: the code when a source file changed since the last build, the bundle when a KB
 * file changed. Plain JavaScript, so that it runs before anything is built.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const INFO = join(DIST, 'build-info.json');
const ENTRY_POINTS = ['bot/index.ts', 'bot/cli.ts', 'kb/build-bundle.ts'];

/**
 * Packages that a start does not need until a particular request uses them, required on
 * first use instead of imported when the module loads. lunr (the full-text index) costs a
 * one-code run of the command line ~50 ms and 10 MB to load, and only prose questions and
 * tie-breaks search. ESM has no synchronous lazy import, and lunr is CommonJS, so the build
 * puts a stand-in in its place: a function whose calls and properties are lunr's, loaded
 * with `require` the first time either is used. The sources import lunr as usual (tests and
 * tsx run them as they are).
 */
const LAZY_PACKAGES = ['lunr'];

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`);
    build.onResolve({ filter }, (args) => (args.namespace === 'lazy-package' ? undefined : { path: args.path, namespace: 'lazy-package' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      resolveDir: ROOT,
      contents: `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let loaded;
const load = () => (loaded ??= require(${JSON.stringify(args.path)}));
// A function target, so that the stand-in can be called as the package's default export is.
export default new Proxy(function lazyPackage() {}, {
  apply: (_target, self, args) => Reflect.apply(load(), self, args),
  construct: (_target, args) => Reflect.construct(load(), args),
  get: (_target, key) => load()[key],
  has: (_target, key) => key in load(),
});
`,
    }));
  },
};
const ifStale = process.argv.includes('--if-stale');

/** Every file the code is built from: its hash tells whether dist/ is current. */
function codeHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith('.ts')) h.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const dir of ['bot', 'capture', 'kb', 'matchers']) walk(join(ROOT, dir));
  for (const file of ['package.json', 'scripts/build.mjs']) h.update(file).update('\0').update(readFileSync(join(ROOT, file)));
  return h.digest('hex');
}

async function buildCode(hash) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build: esbuild is not installed; run npm install first.\n');
    process.exit(2);
  }
  // The old code goes; the KB bundle and its index stay (build-bundle decides by their hash whether they are current).
  mkdirSync(DIST, { recursive: true });
  const keep = new Set(['kb-bundle.json', 'kb-bundle.index.json']);
  for (const name of readdirSync(DIST)) if (!keep.has(name)) rmSync(join(DIST, name), { recursive: true, force: true });
  const started = performance.now();
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: DIST,
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [lazyPackages],
  });
  writeFileSync(INFO, JSON.stringify({ codeHash: hash, built: new Date().toISOString() }, null, 2) + '\n');
  process.stderr.write(`build: code built into dist/ in ${Math.round(performance.now() - started)} ms\n`);
}

const hash = codeHash();
let current = false;
try {
  current = existsSync(INFO) && JSON.parse(readFileSync(INFO, 'utf8')).codeHash === hash;
} catch {
  current = false;
}
if (!ifStale || !current) await buildCode(hash);
const bundle = spawnSync(process.execPath, [join(DIST, 'kb', 'build-bundle.js'), ...(ifStale ? ['--if-stale'] : [])], { stdio: 'inherit', cwd: ROOT });
if (bundle.status !== 0) process.exit(bundle.status ?? 2);
// The time of the last complete build, which scripts/run.mjs compares with the sources'.
const info = JSON.parse(readFileSync(INFO, 'utf8'));
writeFileSync(INFO, JSON.stringify({ ...info, checked: new Date().toISOString() }, null, 2) + '\n');
