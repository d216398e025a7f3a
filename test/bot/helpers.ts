import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { readConfig, type BotConfig } from '../../bot/config';

/** Settings as the server reads them, with test overrides. */
export function testConfig(overrides: Partial<BotConfig> = {}, env: Record<string, string> = {}): BotConfig {
  return { ...readConfig(env), ...overrides };
}

let activitySeq = 0;

/**
 * A Teams message activity that asks for its replies in the HTTP answer (expectReplies), each
 * with its own id and conversation, so one turn's state never leaks into the next.
 */
export function expectRepliesActivity(extra: Record<string, unknown>): Record<string, unknown> {
  activitySeq++;
  return {
    type: 'message',
    id: `activity-${activitySeq}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    conversation: { id: `a:conversation-${activitySeq}`, conversationType: 'personal' },
    from: { id: '29:user', name: 'Support Engineer' },
    recipient: { id: '28:bot', name: 'KB Bot' },
    ...extra,
  };
}

/** A real pino logger whose lines are kept, so tests can read what was logged. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level }, sink), lines, text: () => lines.join('') };
}

/** Calls `visit` on every object of a card, depth first; a visit that returns true skips that object's children. */
function visitCard(node: unknown, visit: (o: Record<string, unknown>) => boolean | void): void {
  if (Array.isArray(node)) {
    for (const n of node) visitCard(n, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  if (visit(o) === true) return;
  for (const v of Object.values(o)) if (typeof v === 'object') visitCard(v, visit);
}

/** Every text a card shows (TextBlocks, TextRuns, button titles), zero-width spaces removed. */
export function cardText(node: unknown): string {
  const out: string[] = [];
  visitCard(node, (o) => {
    if (o['type'] === 'TextBlock' && typeof o['text'] === 'string') out.push(o['text']);
    if (o['type'] === 'RichTextBlock' && Array.isArray(o['inlines'])) {
      out.push((o['inlines'] as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join(''));
      return true;
    }
    if (typeof o['type'] === 'string' && o['type'].startsWith('Action.') && typeof o['title'] === 'string') out.push(o['title']);
    return false;
  });
  return out.join('\n').replace(/\u200b/g, '');
}

/** All elements of a card of one type, at any depth. */
export function elementsOfType(node: unknown, type: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  visitCard(node, (o) => {
    if (o['type'] === type) out.push(o);
  });
  return out;
}

export interface CardAttachment {
  contentType: string;
  content: unknown;
}

/** The Adaptive Card of a reply activity, or undefined. */
export function cardOf(activity: { attachments?: unknown } | undefined): unknown {
  const list = (activity?.attachments ?? []) as CardAttachment[];
  return list.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
