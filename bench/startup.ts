import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Start-up, as a person meets it: the command line answering one code, next to a bare
 * `node -e 0` on the same machine in the same run, and the server's time from its start
 * to its first `/healthz` answer. Runs the build in dist/ (npm run build first).
 */
const TIME = '/usr/bin/time';

export interface StartRow {
  what: string;
  runs: number;
  wallMs: { min: number; median: number; max: number };
  peakRssMb: number | null;
}

function once(cmd: string, args: string[], input: string, cwd: string): { ms: number; rssMb: number | null } {
  const useTime = existsSync(TIME);
  const t0 = performance.now();
  const r = useTime
    ? spawnSync(TIME, ['-f', 'maxrss=%M', cmd, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(cmd, args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${String(r.status)}: ${r.stderr.slice(0, 300)}`);
  const m = /maxrss=(\d+)/.exec(r.stderr);
  return { ms, rssMb: m ? Number(m[1]) / 1024 : null };
}

function stats(xs: number[]): StartRow['wallMs'] {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
}

/** Alternates the commands run by run, so that a busy moment of the machine hits both. */
export function measureStartup(root: string, runs: number): StartRow[] {
  const cases: { what: string; cmd: string; args: string[]; input: string }[] = [
    { what: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], input: '' },
    { what: 'CLI, one code (node dist/bot/cli.js --json)', cmd: process.execPath, args: [join(root, 'dist', 'bot', 'cli.js'), '--json'], input: '0x80091007\n' },
    { what: 'CLI, one code (npm run --silent diagnose -- --json)', cmd: 'npm', args: ['run', '--silent', 'diagnose', '--', '--json'], input: '0x80091007\n' },
  ];
  const samples = cases.map(() => ({ ms: [] as number[], rss: 0 }));
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, k) => {
      const r = once(c.cmd, c.args, c.input, root);
      const s = samples[k] as { ms: number[]; rss: number };
      s.ms.push(r.ms);
      if (r.rssMb !== null) s.rss = Math.max(s.rss, r.rssMb);
    });
  }
  return cases.map((c, k) => ({ what: c.what, runs, wallMs: stats((samples[k] as { ms: number[] }).ms), peakRssMb: (samples[k] as { rss: number }).rss || null }));
}

/** Time from spawning the built server to its first 200 on /healthz. */
export async function measureServerStart(root: string, runs: number): Promise<StartRow> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'dist', 'bot', 'index.js')], {
      cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MicrosoftAppId: '' }, stdio: 'ignore',
    });
    try {
      for (;;) {
        if (performance.now() - t0 > 30_000) throw new Error('the server did not answer /healthz within 30 s');
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (res.status === 200) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - t0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  return { what: 'server: start to first /healthz (node dist/bot/index.js)', runs, wallMs: stats(times), peakRssMb: null };
}
