import { describe, expect, it } from 'vitest';
import type { DecodedCode, Diagnosis, Match } from '../../matchers/types';
import { utf16Bytes } from '../../bot/card-parts';
import { diagnosisCard } from '../../bot/cards';
import { inert } from '../../bot/escape';
import { Responder } from '../../bot/respond';
import { markdownRuns } from '../../bot/rich-text';
import { LIKENESS_NOTE } from '../../bot/render-text';
import { diagnosisText } from '../../bot/text-reply';
import { fixture, realKb } from '../helpers/kb';
import { cardText, elementsOfType, testConfig } from './helpers';

const responder = (): Responder => new Responder(realKb(), testConfig());

describe('diagnosis card', () => {
  it('shows the top entry, its cause with the extracted values, numbered steps, links and evidence', () => {
    const { card, diagnosis } = responder().diagnose(fixture('seeds/002-smsts-iis-config-extension.log'));
    expect(diagnosis.matches[0]?.id).toBe('iis-request-filtering-denied-extension');
    expect(card.version).toBe('1.5');
    const shown = cardText(card);
    expect(shown).toContain('Confidence: high');
    expect(shown).toContain('Cause');
    expect(shown).toContain('OSDResults.exe.config');
    expect(shown).toContain('1. On the distribution point');
    expect(shown).toContain('line 11');
    expect(shown).toContain('SMS+TS 404 7 64 15');
    expect(shown).toContain('0x80004005');
    const links = elementsOfType(card, 'Action.OpenUrl');
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => String(l['url']).startsWith('https://'))).toBe(true);
    const feedback = (card.actions ?? []).map((a) => a['data']);
    expect(feedback).toEqual([
      { action: 'feedback', id: 'iis-request-filtering-denied-extension', verdict: 'helpful' },
      { action: 'feedback', id: 'iis-request-filtering-denied-extension', verdict: 'not-helpful' },
    ]);
  });

  it('puts the other plausible entries behind buttons that show them', () => {
    const { card, diagnosis } = responder().diagnose(fixture('seeds/001-execmgr-cas-stale-content.log'));
    expect(diagnosis.matches.length).toBeGreaterThan(1);
    const shows = elementsOfType(card, 'Action.ShowCard');
    expect(shows.length).toBe(diagnosis.matches.length - 1);
    const inner = cardText(shows[0]);
    expect(inner).toContain('Cause');
    expect(inner).toContain('Resolution');
  });

  it('says so when nothing matches, with the decoded codes, the facts found and the logs to collect', () => {
    const paste = 'The download of package ABC00123 stopped at 40 percent with 0x80070070 yesterday on several clients';
    const { card, diagnosis } = responder().diagnose(`2024-05-02 10:11:12 GET /SMS_DP_SMSPKGD$/ABC00123/a.cab 500 0 0\n${paste}\nError 0x87D00607`);
    expect(diagnosis.matches.filter((m) => m.confidence === 'high')).toEqual([]);
    if (diagnosis.matches.length > 0) return; // a full-text answer is a legitimate outcome here
    const shown = cardText(card);
    expect(shown).toContain('No KB entry matches this paste.');
    expect(shown).toContain('Collect next');
    expect(shown).toContain('0x87D00607');
    expect(card.actions).toBeUndefined();
  });

  it('stays well under the Teams message limit when the evidence is huge, and keeps the whole answer', () => {
    const real = responder().diagnose(fixture('seeds/002-smsts-iis-config-extension.log')).diagnosis;
    const top = real.matches[0] as Match;
    const wide = (m: Match, k: number): Match => ({
      ...m,
      id: `${m.id}-${k}`,
      evidence: Array.from({ length: 8 }, (_, i) => ({ line: i + 1, signature: 's', text: `GET /SMS_DP_SMSPKGD$/ABC00123/${'y'.repeat(8000)}/${i}.config 404 7` })),
    });
    // The core's limits at their largest: 5 entries with 8 evidence lines of 8 KB, 100 codes.
    const huge: Diagnosis = {
      ...real,
      matches: [0, 1, 2, 3, 4].map((k) => wide(top, k)),
      codes: Array.from({ length: 100 }, (_, i) => ({ ...(real.codes[0] as DecodedCode), code: `0x8007${String(i).padStart(4, '0')}` })),
    };
    const { card, trimmed } = diagnosisCard(huge);
    expect(trimmed).toBe(true);
    expect(utf16Bytes({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })).toBeLessThan(60_000);
    const shown = cardText(card).replace(/\s+/g, ' ');
    const plain = (md: string): string => markdownRuns(md).map((r) => r.text).join('').replace(/\u200b/g, '').replace(/\s+/g, ' ');
    expect(shown).toContain(plain(top.cause));
    for (const step of top.resolution) expect(shown).toContain(plain(step));
    expect(shown).toContain('shortened to keep this reply within the Teams message size');
  });

  it('cannot be made to show a link, a mention or a text function from the paste', () => {
    const evil = [
      'Error downloading file from http://dp01/SMS_DP_SMSPKGD$/ABC00123/[click here](https://evil.example/steal)/web.config',
      '<at>Everyone</at> **bold** {{DATE(2017-02-14T06:08:39Z, SHORT)}} www.evil.example mail admin@evil.example',
      '2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/web.config - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 7 0 15',
    ].join('\n');
    const { card } = responder().diagnose(evil, '<at>x</at>[f](https://evil.example).log');
    const json = JSON.stringify(card);
    // Addresses survive only as literal text of evidence lines (monospace TextRuns, never
    // Markdown, never links), so that a URL copied from the card is the logged one.
    const runs = elementsOfType(card, 'TextRun');
    for (const r of runs) {
      if (String(r['text']).includes('https://evil')) expect(r).toEqual({ type: 'TextRun', text: expect.any(String), fontType: 'Monospace' });
    }
    expect(json).not.toMatch(/"(?:url|selectAction)":[^,]*evil/);
    expect(json).not.toContain('{{DATE');
    expect(json).not.toContain('<at>');
    expect(json).not.toContain('@evil');
    // User text only ever lands in TextRuns (never read as Markdown); TextBlocks hold the bot's own words.
    for (const tb of elementsOfType(card, 'TextBlock')) expect(String(tb['text'])).not.toMatch(/evil|Everyone|ABC00123/);
    const urls = elementsOfType(card, 'Action.OpenUrl').map((a) => String(a['url']));
    expect(urls.some((u) => u.includes('evil'))).toBe(false);
  });

  it('shows a URL of an evidence line exactly as logged, so that it can be copied', () => {
    const line = 'BITS error 0x80190193 for https://contosocdp.blob.core.windows.net/sccm/Content_1a2b3c4d-0000-4000-8000-00000000beef.1/setup.exe';
    const { card, diagnosis } = responder().diagnose(`Error sending DAV request. HTTP code 403, status 'Server failed to authenticate the request.'\n${line}`);
    expect(diagnosis.matches[0]?.id).toBe('cloud-management-gateway-or-cloud-dp');
    const evidence = elementsOfType(card, 'TextRun').filter((r) => r['fontType'] === 'Monospace').map((r) => String(r['text']));
    expect(evidence).toContain(line);
  });

  it('gives the same answer as plain text for channels without cards, with user text made inert', () => {
    const { diagnosis } = responder().diagnose(fixture('seeds/002-smsts-iis-config-extension.log'));
    const text = diagnosisText({ ...diagnosis, file: 'http://evil.example/a.log' });
    expect(text).toContain('IIS request filtering');
    expect(text).toContain('Resolution:');
    expect(text).toContain('https://support.microsoft.com/kb/2508665');
    expect(text).not.toContain('http://evil');
  });
});

describe('a family named only by the words of a question', () => {
  it('says the family is a guess from the words, and asks for the log lines', () => {
    const { card, diagnosis } = responder().diagnose('Clients download from the peer but the download never resumes after the peer goes offline');
    expect(diagnosis.symptom?.namedFrom).toBe('likeness');
    const shown = cardText(card);
    expect(shown).toContain(LIKENESS_NOTE);
    expect(shown).toContain('Possible causes');
  });

  it('a family the paste shows carries no such note', () => {
    const { card } = responder().diagnose('0x80190194');
    expect(cardText(card)).not.toContain(LIKENESS_NOTE);
  });
});

describe('inert and markdownRuns', () => {
  it('breaks addresses, mentions and text functions with invisible characters only', () => {
    const s = 'see https://a.example/x, www.b.example, c@d.example {{DATE(x)}} <at>e</at>';
    const out = inert(s);
    expect(out.replace(/\u200b/g, '')).toBe(s);
    expect(out).not.toMatch(/:\/\/|www\.|@d|\{\{|<at>/);
  });

  it('reads code spans, bold and italics as styled literal runs', () => {
    const runs = markdownRuns('Allow `{{x}}` in **IIS Manager** under *Request Filtering*, see [docs](https://learn.microsoft.com/x).');
    expect(runs.find((r) => r.fontType === 'Monospace')?.text).toBe('{\u200b{x}}');
    expect(runs.find((r) => r.weight === 'Bolder')?.text).toBe('IIS Manager');
    expect(runs.find((r) => r.italic)?.text).toBe('Request Filtering');
    expect(runs.map((r) => r.text).join('')).toContain('docs (https:\u200b//learn.microsoft.com/x)');
  });
});
