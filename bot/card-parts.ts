import { clip, inert, verbatim } from './escape';
import { run, type TextRun } from './rich-text';

/**
 * The few Adaptive Card pieces the replies are made of. Schema 1.5 is the highest Teams
 * renders. Text the bot writes itself goes into TextBlocks; anything that holds user text
 * goes into RichTextBlocks of literal TextRuns (see rich-text.ts).
 */
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export interface CardElement {
  type: string;
  [key: string]: unknown;
}

export interface CardAction {
  type: 'Action.OpenUrl' | 'Action.Submit' | 'Action.ShowCard';
  title: string;
  [key: string]: unknown;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  fallbackText?: string;
  msteams?: { width: 'Full' };
}

/** What a button sends back (Action.Submit `data`): the bot reads `action` to route it. */
export type SubmitData =
  | { action: 'feedback'; id: string; verdict: 'helpful' | 'not-helpful'; outcome?: string }
  | { action: 'kb'; id: string }
  | FollowUpData;

/**
 * A follow-up answer to a family answer's yes/no question: everything the next turn needs
 * (the server keeps no conversation state), and nothing of the paste's text.
 */
export interface FollowUpData {
  action: 'followup';
  family: string;
  answers: Record<string, boolean>;
  seen: Record<string, boolean>;
  codes: number[];
  /** The outcome id of the reply the question was on (see capture/records.ts). */
  outcome?: string;
}

export function card(body: CardElement[], actions: CardAction[] = [], fallbackText?: string): AdaptiveCard {
  const c: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, msteams: { width: 'Full' } };
  if (actions.length > 0) c.actions = actions;
  if (fallbackText !== undefined) c.fallbackText = fallbackText;
  return c;
}

/** Bot-written text (never user text). */
export function text(value: string, style: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...style };
}

export function heading(value: string, style: Record<string, unknown> = {}): CardElement {
  return text(value, { weight: 'Bolder', spacing: 'Medium', ...style });
}

export function rich(runs: TextRun[], style: Record<string, unknown> = {}): CardElement {
  return { type: 'RichTextBlock', inlines: runs, ...style };
}

/** One evidence line: its number, then the text as logged, monospace and literal, URLs copyable (see `verbatim`). */
export function evidenceLine(line: number, value: string, maxChars: number): CardElement {
  return rich([run(`line ${line}  `, { isSubtle: true }), { type: 'TextRun', text: verbatim(clip(value, maxChars)), fontType: 'Monospace' }], { spacing: 'Small' });
}

export function container(items: CardElement[], style: Record<string, unknown> = {}): CardElement {
  return { type: 'Container', items, ...style };
}

export function actionSet(actions: CardAction[], style: Record<string, unknown> = {}): CardElement {
  return { type: 'ActionSet', actions, ...style };
}

/**
 * The KB's source links as a list of their full titles, each one a link: buttons cut a
 * title to the width of a button ("Troubleshooting C…"), text wraps. Titles and addresses
 * come from the KB (https only, checked by kb:check), never from a paste.
 */
export function linkList(links: readonly { title: string; url: string }[], style: Record<string, unknown> = {}): CardElement[] {
  return links.map((l, i) => rich([
    run('• '),
    { ...run(l.title), color: 'Accent', selectAction: { type: 'Action.OpenUrl', url: l.url, title: clip(l.title, 80) } },
  ], { spacing: i === 0 ? (style['spacing'] ?? 'Small') : 'None' }));
}

export function openUrl(title: string, url: string): CardAction {
  return { type: 'Action.OpenUrl', title: clip(title, 80), url };
}

export function submit(title: string, data: SubmitData): CardAction {
  return { type: 'Action.Submit', title, data };
}

export function showCard(title: string, inner: CardElement[]): CardAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', version: CARD_VERSION, body: inner } };
}

/** A bulleted list of user-derived items as literal runs, one block per item. */
export function literalList(items: readonly string[], maxChars: number, monospace = false): CardElement[] {
  return items.map((i) => rich([run('• '), run(clip(i, maxChars), monospace ? { fontType: 'Monospace' } : {})], { spacing: 'None' }));
}

/** Text the bot writes that embeds a user value: escaped, and kept out of Markdown. */
export function literal(value: string, style: Record<string, unknown> = {}): CardElement {
  return rich([{ type: 'TextRun', text: inert(value) }], style);
}

/** Size of a reply as Teams counts it (UTF-16), for the message-size budget. */
export function utf16Bytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}
