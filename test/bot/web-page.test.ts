import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../bot/server';
import { fixture, realKb } from '../helpers/kb';
import { capturingLogger } from './helpers';

/**
 * The local web page in a real browser: Debian's chromium, headless, driven by
 * playwright-core. Skipped only when /usr/bin/chromium is missing (install it with
 * `apt-get install -y chromium`). UPDATE_SCREENSHOT=1 writes the README's screenshot.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SKIP_NOTE = hasChromium ? '' : ' [skipped: /usr/bin/chromium is not installed; run apt-get install -y chromium]';
const UPDATE = process.env['UPDATE_SCREENSHOT'] === '1';
const SCREENSHOT = UPDATE
  ? fileURLToPath(new URL('../../docs/reply-screenshot.png', import.meta.url))
  : join(tmpdir(), 'support-kb-bot-reply-screenshot.png');
const FAMILY_SCREENSHOT = UPDATE
  ? fileURLToPath(new URL('../../docs/family-screenshot.png', import.meta.url))
  : join(tmpdir(), 'support-kb-bot-family-screenshot.png');

let server: RunningServer;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer({ loaded: realKb(), port: 0, env: { RATE_LIMIT_PER_MINUTE: '0' }, logger: capturingLogger('warn').logger });
  // launch() gives the browser a fresh temporary profile (its own --user-data-dir) and removes it on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the local web page in headless Chromium', () => {
  it.skipIf(!hasChromium)(`renders the card for a pasted source-document excerpt, takes feedback and a dropped file${SKIP_NOTE}`, async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${server.url}/`);
    await page.fill('#paste', fixture('seeds/002-smsts-iis-config-extension.log'));
    await page.click('#submit');
    const card = page.locator('#card .ac-adaptiveCard');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('IIS request filtering on the distribution point denies a file extension');
    expect(text).toContain('refuses files ending in .config');
    expect(text).toContain('Resolution');
    expect(text).toContain('line 11');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(() => page.locator('#status').innerText()).toContain('Thanks, recorded');

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture('seeds/000-cas-webdav-drive-root.log'), 'utf16le')]);
    await page.setInputFiles('#file', { name: 'CAS.log', mimeType: 'text/plain', buffer: utf16 });
    await expect.poll(() => card.innerText()).toContain('Diagnosis of CAS.log');
    expect(await card.innerText()).toContain('KB entry webdav-drive-root-hash-mismatch');
    expect(await page.locator('#diagnosis-json').textContent()).toContain('"id": "webdav-drive-root-hash-mismatch"');
    expect(problems).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasChromium)(`answers a bare code with the symptom, and a Yes/No button narrows it${SKIP_NOTE}`, async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.url}/`);
    await page.fill('#paste', '0x80091007');
    await page.click('#submit');
    const card = page.locator('#card .ac-adaptiveCard');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('CRYPT_E_HASH_VALUE');
    expect(text).toContain('Possible causes');
    expect(text).toContain('How to tell:');
    expect(text).toContain('Narrow it down');
    await page.screenshot({ path: FAMILY_SCREENSHOT, fullPage: true });
    const before = JSON.parse((await page.locator('#diagnosis-json').textContent()) ?? '{}') as { symptom?: { causes: { id: string }[] } };
    const firstCauses = before.symptom?.causes.map((c) => c.id) ?? [];
    expect(firstCauses.length).toBeGreaterThan(2);
    // "No" to the first question: the next card still names the symptom and remembers the answer.
    await page.getByRole('button', { name: 'No', exact: true }).first().click();
    await expect.poll(async () => (await page.locator('#diagnosis-json').textContent()) ?? '').toContain('"format": "follow-up"');
    const after = JSON.parse((await page.locator('#diagnosis-json').textContent()) ?? '{}') as { symptom?: { id: string; answers: Record<string, boolean> } };
    expect(after.symptom?.id).toBe('hash-mismatch');
    expect(Object.values(after.symptom?.answers ?? {})).toEqual([false]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
