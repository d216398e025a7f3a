import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
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
const NARROW_SCREENSHOT = UPDATE
  ? fileURLToPath(new URL('../../docs/page-400px.png', import.meta.url))
  : join(tmpdir(), 'support-kb-bot-page-400px.png');

/** How far the document reaches past the viewport sideways, and which elements stick out (for the failure message). */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; sticking: string[] }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    sticking: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)} right=${Math.round(e.getBoundingClientRect().right)}`),
  }));
}

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const o = await overflow(page);
  expect(o.scrollWidth, `${what}: the page is ${o.scrollWidth} px wide in a ${o.innerWidth} px window; sticking out: ${o.sticking.join('; ')}`).toBeLessThanOrEqual(o.innerWidth);
}

/** The renderer's worst case, as the server could send it: a row of long link buttons, a long monospace run without spaces, Yes/No. */
const WIDE_CARD = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Synthetic wide card', weight: 'Bolder', wrap: true },
    {
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: 'line 9 ', isSubtle: true }, { type: 'TextRun', text: 'GET /SMS_DP_SMSPKG$/' + 'Package_ID_Of_Package_In_Use_Toolkit_Package/'.repeat(8) + 'OSDResults.exe.config', fontType: 'Monospace' }],
    },
    { type: 'TextBlock', text: 'C:\\' + 'VeryLongFolderNameWithoutAnySpaces\\'.repeat(8), fontType: 'Monospace', wrap: true },
    {
      type: 'ActionSet',
      actions: [1, 2, 3, 4, 5].map((n) => ({ type: 'Action.OpenUrl', title: `KB ${n}: The Use Toolkit Package download does not complete from a Windows Server distribution point`, url: `https://learn.microsoft.com/example/${n}` })),
    },
    { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Yes', data: { action: 'none' } }, { type: 'Action.Submit', title: 'No', data: { action: 'none' } }] },
  ],
  actions: [{ type: 'Action.Submit', title: 'Helpful', data: { action: 'none' } }, { type: 'Action.Submit', title: 'Not helpful', data: { action: 'none' } }],
};

let server: RunningServer;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startServer({ loaded: realKb(), port: 0, env: { CAPTURE: 'off', RATE_LIMIT_PER_MINUTE: '0' }, logger: capturingLogger('warn').logger });
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

  it.skipIf(!hasChromium)(`fits any width from 360 px up: no sideways scrolling, button rows wrap, long lines break${SKIP_NOTE}`, async () => {
    const answers: { paste: string; expect: string }[] = [
      { paste: fixture('seeds/002-smsts-iis-config-extension.log'), expect: 'IIS request filtering on the distribution point denies a file extension' },
      { paste: '0x80091007', expect: 'Narrow it down' },
      { paste: 'synthetic wide card', expect: 'Synthetic wide card' },
    ];
    for (const width of [360, 400, 800, 1360]) {
      const page = await (browser as Browser).newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      // The last answer is the renderer's worst case, served in place of the server's answer.
      await page.route('**/api/diagnose', async (route) => {
        const body = route.request().postData() ?? '';
        if (body.includes('synthetic wide card')) await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ card: WIDE_CARD }) });
        else await route.continue();
      });
      await page.goto(`${server.url}/`);
      await expectNoSidewaysScroll(page, `${width} px, empty page`);
      const card = page.locator('#card .ac-adaptiveCard');
      for (const a of answers) {
        await page.fill('#paste', a.paste);
        await page.click('#submit');
        await expect.poll(async () => ((await card.count()) > 0 ? card.innerText() : '')).toContain(a.expect);
        await expectNoSidewaysScroll(page, `${width} px, answer containing "${a.expect}"`);
        // Every button is whole inside the window, and the card inside its column.
        const buttons = await page.evaluate(() => [...document.querySelectorAll('#card .ac-pushButton')].map((b) => b.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
        expect(buttons.length).toBeGreaterThan(0);
        for (const b of buttons) {
          expect(b.left).toBeGreaterThanOrEqual(0);
          expect(b.right).toBeLessThanOrEqual(width);
        }
        if (a.expect === 'Narrow it down') {
          // Opening the card's inline "Show them" list must not widen the page either.
          const more = page.getByRole('button', { name: /Show them/ });
          if ((await more.count()) > 0) {
            await more.first().click();
            await expectNoSidewaysScroll(page, `${width} px, family answer with the other causes shown`);
          }
        }
        if (width === 400 && a.expect.startsWith('IIS')) await page.screenshot({ path: NARROW_SCREENSHOT, fullPage: true });
      }
      if (width === 400) {
        // The row of five long link buttons wraps: the buttons sit on more than one line.
        const tops = await page.evaluate(() => [...(document.querySelector('#card .ac-actionSet')?.querySelectorAll('.ac-pushButton') ?? [])].map((b) => Math.round(b.getBoundingClientRect().top)));
        expect(tops).toHaveLength(5);
        expect(new Set(tops).size).toBeGreaterThan(1);
      }
      // Under ~800 px the input and the answer stack; wider, they sit side by side.
      const [input, output] = await Promise.all([page.locator('section.input').boundingBox(), page.locator('section.output').boundingBox()]);
      if (width <= 800) expect(output!.y).toBeGreaterThan(input!.y + input!.height - 1);
      else expect(output!.x).toBeGreaterThan(input!.x + input!.width - 1);
      // The paste box stays usable: as wide as its column and several lines tall.
      const box = await page.locator('#paste').boundingBox();
      expect(box!.width).toBeGreaterThan(width <= 800 ? width - 60 : 300);
      expect(box!.height).toBeGreaterThan(100);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it.skipIf(!hasChromium)(`a failed request clears the previous answer and says why${SKIP_NOTE}`, async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 400, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.url}/`);
    await page.fill('#paste', fixture('seeds/002-smsts-iis-config-extension.log'));
    await page.click('#submit');
    const card = page.locator('#card .ac-adaptiveCard');
    await card.waitFor();
    expect(await page.locator('#json-box').isVisible()).toBe(true);

    // A binary file (an .exe's header): the server answers 422 with {error}.
    const junk = Buffer.concat(Array.from({ length: 64 }, () => Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])));
    const answered = page.waitForResponse((r) => r.url().includes('/api/diagnose'));
    await page.setInputFiles('#file', { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: junk });
    const res = await answered;
    expect(res.status()).toBe(422);
    expect(((await res.json()) as { error: string }).error).toContain('not text');
    await expect.poll(() => card.count()).toBe(0);
    expect(await page.locator('#json-box').isVisible()).toBe(false);
    expect(await page.locator('#card-json').textContent()).toBe('');
    expect(await page.locator('#diagnosis-json').textContent()).toBe('');
    expect(await page.locator('#status').getAttribute('class')).toBe('error');
    const status = await page.locator('#status').innerText();
    expect(status).toContain('setup.exe');
    expect(status).toContain('not text');
    await expectNoSidewaysScroll(page, '400 px, error shown');

    // The next good answer brings the card back and clears the error.
    await page.fill('#paste', '0x80091007');
    await page.click('#submit');
    await card.waitFor();
    expect(await page.locator('#status').innerText()).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasChromium)(`says first, above the card, that only part of a long paste was read${SKIP_NOTE}`, async () => {
    const small = await startServer({ loaded: realKb(), port: 0, env: { CAPTURE: 'off', RATE_LIMIT_PER_MINUTE: '0', MAX_PASTE_CHARS: '400' }, logger: capturingLogger('warn').logger });
    const page = await (browser as Browser).newPage({ viewport: { width: 400, height: 900 }, deviceScaleFactor: 1 });
    try {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${small.url}/`);
      const notice = page.locator('#notice');
      expect(await notice.isVisible()).toBe(false);
      const seed = fixture('seeds/002-smsts-iis-config-extension.log');
      expect(seed.length).toBeGreaterThan(400);
      await page.fill('#paste', seed);
      await page.click('#submit');
      const card = page.locator('#card .ac-adaptiveCard');
      await card.waitFor();
      await expect.poll(() => notice.isVisible()).toBe(true);
      const warnings = (JSON.parse((await page.locator('#diagnosis-json').textContent()) ?? '{}') as { warnings: string[] }).warnings;
      const cut = `Only the first 400 of ${seed.length.toLocaleString('en-US')} characters were read`;
      expect(warnings.some((w) => w.includes(cut))).toBe(true);
      expect(await notice.innerText()).toContain(cut);
      // Above the card: the first thing of the answer a user sees.
      const [n, c] = [await notice.boundingBox(), await card.boundingBox()];
      expect(n!.y + n!.height).toBeLessThanOrEqual(c!.y);
      await expectNoSidewaysScroll(page, '400 px, cut warning shown');

      // A short paste has no warning: the notice goes.
      await page.fill('#paste', '0x80091007');
      await page.click('#submit');
      await expect.poll(() => page.locator('#diagnosis-json').textContent()).not.toContain('Only the first');
      expect(await notice.isVisible()).toBe(false);
      expect(await notice.innerText()).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await small.close();
    }
  });
});
