import { TestAdapter, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import type { BotConfig } from '../../bot/config';
import { Responder } from '../../bot/respond';
import { DiagnosisBot } from '../../bot/teams-bot';
import { fixture, realKb } from '../helpers/kb';
import { capturingLogger, cardOf, cardText, elementsOfType, testConfig } from './helpers';

/** A bot on botbuilder's own TestAdapter: the real SDK pipeline, without HTTP. */
function setup(overrides: Partial<BotConfig> = {}, template: Partial<Activity> = {}) {
  const config = testConfig(overrides);
  const log = capturingLogger();
  const bot = new DiagnosisBot({ responder: new Responder(realKb(), config), config, logger: log.logger });
  const adapter = new TestAdapter(async (ctx) => bot.run(ctx), template);
  const turn = async (activity: Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({ type: 'message', ...activity });
    const replies: Partial<Activity>[] = [];
    while (adapter.activeQueue.length > 0) replies.push(adapter.getNextReply());
    return replies;
  };
  return { adapter, turn, log };
}

const BOT = { id: 'bot', name: 'KB Bot' };

describe('conversation on the TestAdapter', () => {
  it('answers a pasted source-document log with a card naming the cause and the evidence, and logs no pasted text', async () => {
    const { turn, log } = setup();
    const paste = fixture('seeds/000-cas-webdav-drive-root.log');
    const replies = await turn({ text: paste });
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    const shown = cardText(card);
    expect(shown).toContain('Confidence: high');
    expect(shown).toContain('KB entry webdav-drive-root-hash-mismatch');
    expect(shown).toContain('Evidence');
    expect(shown).toContain('0x80091007');
    const logged = log.text();
    expect(logged).toContain('"top":"webdav-drive-root-hash-mismatch"');
    for (const line of paste.split('\n').filter((l) => l.trim().length > 20)) expect(logged).not.toContain(line.trim().slice(0, 30));
  });

  it('diagnoses the rest of a channel message after removing the @mention', async () => {
    const { turn } = setup();
    const paste = fixture('seeds/003-smsts-multicast-sparse.log');
    const replies = await turn({
      text: `<at>KB Bot</at> ${paste}`,
      recipient: BOT,
      conversation: { id: '19:abc@thread.tacv2;messageid=1', conversationType: 'channel', isGroup: true, name: '' },
      entities: [{ type: 'mention', text: '<at>KB Bot</at>', mentioned: BOT }],
    });
    expect(cardText(cardOf(replies[0]))).toContain('KB entry wds-multicast-sparse-file-hash-mismatch');
  });

  it('takes the lines from the HTML attachment when the plain text lost them', async () => {
    const { turn } = setup();
    const lines = fixture('seeds/002-smsts-iis-config-extension.log').trimEnd().split('\n').filter((l) => l.trim());
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const replies = await turn({
      text: lines.join(' '),
      attachments: [{ contentType: 'text/html', content: `<div>${lines.map((l) => `<p>${esc(l)}</p>`).join('')}</div>` }],
    });
    const shown = cardText(cardOf(replies[0]));
    expect(shown).toContain(`Diagnosis of the pasted text · ${lines.length} lines`);
    expect(shown).toContain('KB entry iis-request-filtering-denied-extension');
    expect(shown).toContain('Confidence: high');
  });

  it('answers help, code, search and kb', async () => {
    const { turn } = setup();
    expect(cardText(cardOf((await turn({ text: 'help' }))[0]))).toContain('Add a KB entry');
    const code = cardText(cardOf((await turn({ text: 'code 0x80190194' }))[0]));
    expect(code).toContain('BG_E_HTTP_ERROR_404');
    const search = cardOf((await turn({ text: 'search request filtering file extension' }))[0]);
    const buttons = elementsOfType(search, 'Action.Submit').map((a) => a['data'] as { action: string; id: string });
    expect(buttons.map((b) => b.id)).toContain('iis-request-filtering-denied-extension');
    const entry = cardText(cardOf((await turn({ text: 'kb iis-request-filtering-denied-extension' }))[0]));
    expect(entry).toContain('Resolution');
    expect(entry).toContain('kb/entries/iis-request-filtering-denied-extension.md');
    expect(cardText(cardOf((await turn({ text: 'kb no-such-entry' }))[0]))).toContain('There is no KB entry no-such-entry');
  });

  it('answers the feedback buttons and records entry and verdict, nothing else', async () => {
    const { turn, log } = setup();
    const replies = await turn({ value: { action: 'feedback', id: 'iis-request-filtering-denied-extension', verdict: 'not-helpful' } });
    expect(cardText(cardOf(replies[0]))).toContain('Thanks, recorded');
    const line = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'feedback');
    expect(line).toMatchObject({ entry: 'iis-request-filtering-denied-extension', verdict: 'not-helpful' });
    const forged = await turn({ value: { action: 'feedback', id: '<at>x</at>', verdict: 'helpful' } });
    expect(cardText(cardOf(forged[0]))).toContain('no longer has');
    const shown = await turn({ value: { action: 'kb', id: 'webdav-drive-root-hash-mismatch' } });
    expect(cardText(cardOf(shown[0]))).toContain('Cause');
  });

  it('greets once when installed', async () => {
    const { turn } = setup();
    const replies = await turn({ type: 'conversationUpdate', recipient: BOT, membersAdded: [{ id: 'bot', name: 'KB Bot' }] });
    expect(cardText(cardOf(replies[0]))).toContain('I diagnose Configuration Manager content-download failures');
    expect(await turn({ type: 'conversationUpdate', recipient: BOT, membersAdded: [{ id: 'someone', name: 'A person' }] })).toEqual([]);
  });

  it('sends plain text on a channel without cards', async () => {
    const { turn } = setup({}, { channelId: 'sms' });
    const replies = await turn({ text: fixture('seeds/002-bitsadmin-hang.txt') });
    expect(replies[0]?.attachments ?? []).toEqual([]);
    expect(replies[0]?.textFormat).toBe('plain');
    expect(replies[0]?.text).toContain('iis-request-filtering-denied-extension');
  });

  it('limits each conversation per minute, says so once, and says what it cut from a long paste', async () => {
    const { turn } = setup({ rateLimitPerMinute: 2, maxPasteChars: 300 });
    const paste = fixture('seeds/002-smsts-iis-config-extension.log');
    const first = cardText(cardOf((await turn({ text: paste }))[0]));
    expect(first).toContain('Only the first 300 of');
    await turn({ text: 'help' });
    const limited = await turn({ text: 'help' });
    expect(cardText(cardOf(limited[0]))).toMatch(/more than 2 messages in a minute.*Try again in \d+ seconds/);
    expect(await turn({ text: 'help' })).toEqual([]);
  });

  it('logs the pasted text only with the documented debug option on', async () => {
    const { turn, log } = setup({ logPastedText: true });
    await turn({ text: 'CHashUtil::ComputeHash failed on PKG00042 at dp77.corp.example' });
    expect(log.text()).toContain('dp77.corp.example');
  });
});
