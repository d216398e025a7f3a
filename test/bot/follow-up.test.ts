import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../bot/server';
import type { Diagnosis } from '../../matchers/types';
import { realKb } from '../helpers/kb';
import { capturingLogger, cardOf, cardText, elementsOfType, expectRepliesActivity } from './helpers';

/**
 * Family answers and their follow-up questions over HTTP, as Teams and the page use them:
 * a bare code gets the symptom with its ranked causes and yes/no buttons; pressing one
 * posts the button's data back (an invoke-less message with `value`, as Teams sends an
 * Action.Submit) and the next card narrows the list. The server keeps nothing between turns.
 */
let server: RunningServer;
const log = capturingLogger('info');

beforeAll(async () => {
  server = await startServer({ loaded: realKb(), port: 0, env: { CAPTURE: 'off', RATE_LIMIT_PER_MINUTE: '0' }, logger: log.logger });
});

afterAll(async () => {
  await server?.close();
});

async function turn(extra: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(expectRepliesActivity(extra)) });
  expect(res.status).toBe(200);
  const { activities } = (await res.json()) as { activities: Record<string, unknown>[] };
  expect(activities).toHaveLength(1);
  return cardOf(activities[0]);
}

interface Button { title: string; data: Record<string, unknown> }

function followUpButtons(card: unknown): Button[] {
  return elementsOfType(card, 'Action.Submit')
    .map((a) => ({ title: String(a['title']), data: a['data'] as Record<string, unknown> }))
    .filter((b) => b.data['action'] === 'followup');
}

/** The numbered cause titles of a family card, in order. */
function causeOrder(card: unknown): string[] {
  const text = cardText(card);
  const ids = realKb().entries.map((e) => ({ id: e.front.id, title: e.front.title }));
  return ids
    .map((e) => ({ id: e.id, at: text.indexOf(e.title) }))
    .filter((e) => e.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((e) => e.id);
}

describe('family answers and follow-ups through /api/messages', () => {
  it('a bare hash-mismatch code gets the symptom, the decoded code first, causes most likely first, and yes/no questions', async () => {
    const card = await turn({ text: '0x80091007' });
    const text = cardText(card);
    expect(text).toContain('CRYPT_E_HASH_VALUE');
    expect(text.indexOf('CRYPT_E_HASH_VALUE')).toBeLessThan(text.indexOf('Possible causes'));
    expect(text).toContain('none is proven yet');
    expect(text).toContain('How to tell:');
    expect(text).toContain('Paste next');
    expect(text).not.toContain('Confidence: high');
    const order = causeOrder(card);
    expect(order.length).toBeGreaterThanOrEqual(3);
    // The niche multicast causes are not the headline of a bare code.
    expect(order[0]).not.toMatch(/multicast/);
    const buttons = followUpButtons(card);
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(buttons.map((b) => b.title))).toEqual(new Set(['Yes', 'No']));
    // The button carries what the next turn needs, and nothing of the paste.
    for (const b of buttons) {
      expect(b.data['family']).toBe('hash-mismatch');
      expect(Object.keys(b.data).sort()).toEqual(['action', 'answers', 'codes', 'family', 'seen']);
      expect(b.data['codes']).toEqual([0x80091007]);
    }
  });

  it('each answer narrows the list and the next card carries every answer so far', async () => {
    const first = await turn({ text: '0x80091007' });
    const firstQuestion = followUpButtons(first).filter((b) => b.title === 'No')[0] as Button;
    const answered = Object.keys(firstQuestion.data['answers'] as object)[0] as string;
    const next = await turn({ text: '', value: firstQuestion.data });
    expect(cardText(next)).toContain('CRYPT_E_HASH_VALUE');
    const again = followUpButtons(next);
    expect(again.length).toBeGreaterThan(0);
    for (const b of again) expect((b.data['answers'] as Record<string, boolean>)[answered]).toBe(false);
    // The question answered is not asked again.
    expect(again.filter((b) => Object.keys(b.data['answers'] as object).length === 1)).toEqual([]);
  });

  it('"yes, it is multicast" puts the multicast causes first; "no" rules them out', async () => {
    const first = await turn({ text: 'hash mismatch on the task sequence download' });
    const state = followUpButtons(first)[0]?.data as Record<string, unknown>;
    expect(state['family']).toBe('hash-mismatch');
    const afterYes = await turn({ text: '', value: { ...state, answers: { multicast: true } } });
    expect(causeOrder(afterYes)[0]).toMatch(/multicast/);
    const afterNo = await turn({ text: '', value: { ...state, answers: { multicast: false } } });
    expect(causeOrder(afterNo).filter((id) => /multicast/.test(id))).toEqual([]);
  });

  it('a follow-up naming an unknown family or situation gets a notice, not an error or the help card', async () => {
    const bad = await turn({ text: '', value: { action: 'followup', family: 'no-such-family', answers: {}, seen: {}, codes: [] } });
    expect(cardText(bad)).toContain('I cannot use that answer');
    const badSituation = await turn({ text: '', value: { action: 'followup', family: 'hash-mismatch', answers: { 'not-a-situation': true }, seen: {}, codes: [] } });
    expect(cardText(badSituation)).toContain('unknown situation');
    expect(cardText(badSituation)).not.toContain('What I do');
  });

  it('the page: /api/diagnose returns the symptom in the JSON, /api/followup narrows it', async () => {
    const res = await fetch(`${server.url}/api/diagnose`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '0x80190194' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { card: unknown; diagnosis: Diagnosis };
    expect(body.diagnosis.symptom?.id).toBe('http-404');
    expect(body.diagnosis.matches.every((m) => m.confidence === 'low')).toBe(true);
    expect(body.diagnosis.matches.map((m) => m.id)).toEqual(body.diagnosis.symptom?.causes.map((c) => c.id).slice(0, body.diagnosis.matches.length));
    const button = followUpButtons(body.card)[0] as Button;
    const next = await fetch(`${server.url}/api/followup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(button.data) });
    expect(next.status).toBe(200);
    const narrowed = (await next.json()) as { diagnosis: Diagnosis };
    expect(narrowed.diagnosis.symptom?.id).toBe('http-404');
    expect(narrowed.diagnosis.symptom?.answers).toEqual(button.data['answers']);
    const wrong = await fetch(`${server.url}/api/followup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"action":"followup","family":"http-404"}' });
    expect(wrong.status).toBe(400);
  });

  it('logs the follow-up by family and counts, never the paste', async () => {
    await turn({ text: 'Hash verification failed for content PS100245.3 on PC0417.contoso.com' });
    expect(log.text()).toContain('"symptom":"hash-mismatch"');
    expect(log.text()).not.toContain('PC0417');
  });
});
