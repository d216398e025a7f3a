import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `npm start`'s entry as a real process: start-up messages, a broken KB, and SIGTERM. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>, onLine?: (line: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', MicrosoftAppId: '', CAPTURE: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      stdout += text;
      for (const line of text.split('\n')) if (line) onLine?.(line, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bot/index.ts', () => {
  it('starts in local anonymous mode, says so, answers /healthz, and stops cleanly on SIGTERM', async () => {
    let health: Record<string, unknown> | undefined;
    const run = await start({}, (line, kill) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry['event'] === 'web-ui') {
        const port = /:(\d+)\//.exec(String(entry['msg']))?.[1];
        void fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json()).then((h) => {
          health = h as Record<string, unknown>;
          kill();
        });
      }
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('local anonymous mode');
    expect(run.stdout).toContain('Bot Framework Emulator');
    expect(run.stdout).toContain('"event":"stopped"');
    expect(health).toMatchObject({ status: 'ok', mode: 'anonymous' });
  });

  it('refuses to start on a broken KB and names the file and line at fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-bot-broken-'));
    try {
      cpSync(join(ROOT, 'kb', 'codes'), join(dir, 'codes'), { recursive: true });
      cpSync(join(ROOT, 'kb', 'iis'), join(dir, 'iis'), { recursive: true });
      mkdirSync(join(dir, 'entries'));
      writeFileSync(join(dir, 'entries', 'broken-entry.md'), '---\nid: broken-entry\ntitle: [unclosed\n---\n## Symptoms\nx\n');
      const run = await start({ KB_DIR: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/kb\/entries\/broken-entry\.md:\d+:\d+ KB003/);
      expect(run.stderr).toContain('npm run kb:check');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong setting with the variable\'s name', async () => {
    const run = await start({ RATE_LIMIT_PER_MINUTE: 'many' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RATE_LIMIT_PER_MINUTE must be a whole number');
  });
});
