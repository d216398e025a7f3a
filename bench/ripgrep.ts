import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * ripgrep over the same file with the same patterns: `rg -c -i -f patterns.txt FILE`
 * (count matching lines, case-insensitive, as our text and regex conditions are). Its
 * set-up (reading and compiling the patterns) is measured on an empty file, so that the
 * search alone can be compared with our engine, which builds its automaton at KB load.
 */
export interface RipgrepRun {
  wallMs: number;
  setupMs: number;
  /**
   * Wall time less set-up; null when the difference is within the noise of starting a
   * process (under 10 ms or 10% of the wall time): the search itself was too quick to tell.
   */
  searchMs: number | null;
  matchingLines: number;
  /** Peak RSS from /usr/bin/time, when it is installed. */
  peakRssMb: number | null;
}

const TIME = '/usr/bin/time';

function once(patterns: string, file: string): { ms: number; count: number; rssMb: number | null } {
  const useTime = existsSync(TIME);
  const args = ['-c', '-i', '-f', patterns, file];
  const t = performance.now();
  const r = useTime
    ? spawnSync(TIME, ['-f', 'maxrss=%M', 'rg', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })
    : spawnSync('rg', args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  // Exit status 1 means no line matched, which is a result too.
  if (r.status !== 0 && r.status !== 1) throw new Error(`rg failed (${r.status}): ${r.stderr.split('\n').slice(-3).join(' ').slice(0, 300)}`);
  const rss = /maxrss=(\d+)/.exec(r.stderr)?.[1];
  return { ms, count: Number(r.stdout.trim() || '0'), rssMb: rss !== undefined ? Number(rss) / 1024 : null };
}

export function runRipgrep(patterns: string, file: string, scratchDir: string, repeat: number): RipgrepRun {
  const empty = join(scratchDir, 'empty.log');
  if (!existsSync(empty)) writeFileSync(empty, '');
  let setupMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.max(1, Math.min(repeat, 2)); i++) setupMs = Math.min(setupMs, once(patterns, empty).ms);
  let best: { ms: number; count: number; rssMb: number | null } | undefined;
  for (let i = 0; i < repeat; i++) {
    const r = once(patterns, file);
    if (!best || r.ms < best.ms) best = r;
  }
  if (!best) throw new Error('repeat must be at least 1');
  statSync(file);
  const search = best.ms - setupMs;
  return { wallMs: best.ms, setupMs, searchMs: search < Math.max(10, best.ms * 0.1) ? null : search, matchingLines: best.count, peakRssMb: best.rssMb };
}
