import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../bot/command-cards';
import { buildTeamsPackage, PackageError } from '../../scripts/package-teams-app';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the Teams app package', () => {
  it('has a 1.22+ manifest with the bot ID from the environment, all three scopes and the bot\'s commands', () => {
    const { zip, manifest } = buildTeamsPackage({ MicrosoftAppId: APP_ID, TEAMS_DEVELOPER_URL: 'https://support.contoso.example' });
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const m = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as typeof manifest & Record<string, unknown>;
    expect(m).toEqual(manifest);
    const [major, minor] = String(m['manifestVersion']).split('.').map(Number);
    expect((major as number) * 100 + (minor as number)).toBeGreaterThanOrEqual(122);
    expect(String(m['$schema'])).toContain(`v${m['manifestVersion']}/`);
    expect(m['id']).toBe(APP_ID);
    const bot = (m['bots'] as { botId: string; scopes: string[]; supportsFiles: boolean; commandLists: { commands: { title: string; description: string }[] }[] }[])[0];
    expect(bot?.botId).toBe(APP_ID);
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsFiles).toBe(true);
    expect(bot?.commandLists[0]?.commands).toEqual(COMMANDS.map((c) => ({ title: c.title, description: c.description })));
    expect(JSON.stringify(m)).not.toContain('${{');
    expect((m['developer'] as Record<string, string>)['privacyUrl']).toBe('https://support.contoso.example');
    const size = (png: Uint8Array | undefined): number[] => [Buffer.from(png as Uint8Array).readUInt32BE(16), Buffer.from(png as Uint8Array).readUInt32BE(20)];
    expect(size(files['color.png'])).toEqual([192, 192]);
    expect(size(files['outline.png'])).toEqual([32, 32]);
  });

  it('refuses to package without a valid app ID and says what to set', () => {
    expect(() => buildTeamsPackage({})).toThrow(PackageError);
    expect(() => buildTeamsPackage({})).toThrow(/set MicrosoftAppId/);
    expect(() => buildTeamsPackage({ MicrosoftAppId: 'my-bot' })).toThrow(/not a GUID/);
  });

  it('writes the zip from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-bot-package-'));
    try {
      const out = join(dir, 'app.zip');
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams-app.ts', '--out', out], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', MicrosoftAppId: APP_ID },
        encoding: 'utf8',
      });
      expect(stdout).toContain(`for bot ${APP_ID}`);
      const files = unzipSync(new Uint8Array(readFileSync(out)));
      expect(JSON.parse(new TextDecoder().decode(files['manifest.json']))).toMatchObject({ bots: [{ botId: APP_ID }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
