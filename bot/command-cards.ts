import type { LoadedEntry } from '../kb/load-kb';
import { sectionText } from '../kb/entry-body';
import { fillTemplate } from '../matchers/template';
import type { DecodedCode } from '../matchers/types';
import { actionSet, card, heading, linkList, literal, openUrl, rich, submit, text, type AdaptiveCard, type CardElement } from './card-parts';
import { codeLines } from './cards';
import { codeLabel } from './code-label';
import { clip } from './escape';
import { markdownRuns, run } from './rich-text';

/**
 * Cards for the commands (`help`, `code`, `search`, `kb`) and for the first message after
 * install. Pure, like cards.ts. Each card also has a plain-text twin in text-reply.ts.
 */
export const COMMANDS: readonly { title: string; description: string }[] = [
  { title: 'help', description: 'What to paste, examples, and how to add a KB entry' },
  { title: 'code', description: 'Decode an error code: code 0x80190194' },
  { title: 'search', description: 'Search the KB: search hash mismatch' },
  { title: 'kb', description: 'Show a KB entry: kb iis-request-filtering-denied-extension' },
];

const INTRO = 'I diagnose Configuration Manager content-download failures. Paste the log lines around the failure (CAS.log, ContentTransferManager.log, DataTransferService.log, SMSTS.log, execmgr.log, the distribution point\'s IIS log, bitsadmin output or BITS events; on the site server DistMgr.log, PkgXferMgr.log, SMSPXE.log or PatchDownloader.log) and I name the cause, the steps that fix it, and the log lines that prove it.';

export function welcomeCard(): AdaptiveCard {
  return card([
    heading('Content-download troubleshooter', { size: 'Medium', spacing: 'None' }),
    text(INTRO),
    text('In a channel, @mention me with the paste. In a personal chat you can also attach the .log file. Type help for examples.', { isSubtle: true }),
  ], [], 'I diagnose Configuration Manager content-download failures from pasted logs. Type help for examples.');
}

/** `pageUrl`: where this server's local page is, or null when it serves none. */
export function helpCard(pageUrl: string | null = 'http://localhost:3978/'): AdaptiveCard {
  const example = (s: string): CardElement => rich([run(s, { fontType: 'Monospace' })], { spacing: 'Small' });
  return card([
    heading('What I do', { size: 'Medium', spacing: 'None' }),
    text(INTRO),
    heading('What to paste'),
    text('The lines logged just before and after the failure: error lines, HRESULTs such as 0x80190194, the URL that failed, and the matching line of the distribution point\'s IIS log. More context helps; whole files work too (attach them in a personal chat). Host names and paths are only used for this answer.'),
    heading('Examples'),
    example('Error downloading file from http://dp01/SMS_DP_SMSPKGD$/ABC00123/Tools/OSDResults.exe.config'),
    example('2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/db/data.ldf - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 7 0 15'),
    example('CHashUtil::ComputeHash failed, 0x80091007'),
    heading('Commands'),
    ...COMMANDS.map((c) => rich([run(c.title, { fontType: 'Monospace', weight: 'Bolder' }), run(`  ${c.description}`)], { spacing: 'Small' })),
    heading('Add a KB entry'),
    text('Every answer is a Markdown file in kb/entries/ of this project. Copy an entry close to yours (or run npm run kb:new), follow docs/kb-format.md, put a real log excerpt in its examples, check it with npm run kb:check and try it on the local web page (npm start, then open ' + (pageUrl ?? 'the address it prints') + '), then open a pull request.'),
  ], [], 'Paste the log lines around the failure. Commands: help, code <code>, search <words>, kb <id>.');
}

export function codeCard(input: string, decoded: readonly DecodedCode[]): AdaptiveCard {
  if (decoded.length === 0) {
    return card([
      heading('No error code found', { spacing: 'None' }),
      rich([run('I could not read an error code in '), run(clip(input, 200), { fontType: 'Monospace' }), run('. Write it as 0x80190194, 80190194 or -2145844844.')]),
    ], [], 'No error code found.');
  }
  const body: CardElement[] = [heading(decoded.length === 1 ? 'Error code' : `Error codes (${Math.min(decoded.length, 10)})`, { spacing: 'None' })];
  for (const c of decoded.slice(0, 10)) {
    body.push(...codeLines(c, 10));
    if (c.aliases && c.aliases.length > 0) body.push(literal(`Also known as: ${c.aliases.slice(0, 8).join(', ')}`, { isSubtle: true, spacing: 'None' }));
  }
  return card(body, [], decoded.map((c) => `${c.code} ${c.name ?? ''}`.trim()).join('; '));
}

export function searchCard(query: string, hits: readonly LoadedEntry[]): AdaptiveCard {
  if (hits.length === 0) {
    return card([
      heading('Nothing found', { spacing: 'None' }),
      rich([run('No KB entry mentions '), run(clip(query, 200), { fontType: 'Monospace' }), run('. Try other words, an error code, or paste the log lines themselves.')]),
    ], [], 'No KB entry found.');
  }
  const body: CardElement[] = [rich([run('KB entries for '), run(clip(query, 200), { fontType: 'Monospace' })], { weight: 'Bolder' })];
  for (const e of hits) {
    body.push(rich([...markdownRuns(e.front.title).map((r) => ({ ...r, weight: 'Bolder' as const })), run(`  ${e.front.id}`, { isSubtle: true })], { spacing: 'Medium' }));
    const symptoms = sectionText(e.body, 'symptoms').split(/\n\s*\n/).find((p) => p.trim().length > 0) ?? '';
    if (symptoms) body.push(rich(markdownRuns(clip(fillTemplate(symptoms, {}).replace(/\s+/g, ' '), 240)), { isSubtle: true, spacing: 'None' }));
    body.push(actionSet([submit('Show entry', { action: 'kb', id: e.front.id })], { spacing: 'None' }));
  }
  return card(body, [], `${hits.length} KB entr${hits.length === 1 ? 'y' : 'ies'} found.`);
}

export function entryCard(entry: LoadedEntry): AdaptiveCard {
  const fill = (s: string): string => fillTemplate(s, {});
  const body: CardElement[] = [
    rich(markdownRuns(entry.front.title).map((r) => ({ ...r, weight: 'Bolder' as const })), { size: 'Medium', spacing: 'None' }),
    text(`KB entry ${entry.front.id} · ${entry.front.products.join(', ')} · ${entry.file}`, { isSubtle: true, spacing: 'Small' }),
  ];
  for (const [name, label] of [['symptoms', 'Symptoms'], ['cause', 'Cause']] as const) {
    const t = sectionText(entry.body, name);
    if (t) body.push(heading(label), ...paragraphs(fill(t)));
  }
  body.push(heading('Resolution'));
  entry.body.steps.forEach((s, k) => body.push(rich([run(`${k + 1}. `, { weight: 'Bolder' }), ...markdownRuns(fill(s))], { spacing: 'Small' })));
  const more = sectionText(entry.body, 'more information');
  if (more) body.push(heading('More information'), ...paragraphs(clip(fill(more), 3000)));
  if (entry.front.links.length > 0) body.push(heading('Sources'), ...linkList(entry.front.links.slice(0, 5)));
  return card(body, [], entry.front.title);
}

export function unknownEntryCard(id: string): AdaptiveCard {
  return card([rich([run('There is no KB entry '), run(clip(id, 120), { fontType: 'Monospace' }), run('. Use search with a few words to find one.')])], [], 'No such KB entry.');
}

/** A short message from the bot in a card, for notices that may embed a user value. */
export function noticeCard(message: string): AdaptiveCard {
  return card([literal(message)], [], clip(message, 200));
}

/** Markdown paragraphs and list items, each as its own block of literal runs. */
function paragraphs(markdown: string): CardElement[] {
  return markdown.split(/\n{2,}|\n(?=\s*[-*] )/).map((p) => p.trim()).filter((p) => p.length > 0)
    .map((p) => rich(markdownRuns(p.replace(/^[-*]\s+/, '• ').replace(/\n/g, ' ')), { spacing: 'Small' }));
}

/** One result of the message extension's code lookup: a preview line and the card it inserts. */
export interface CodeResult {
  title: string;
  subtitle: string;
  card: AdaptiveCard;
}

/**
 * The card the "Error code" message extension inserts in a conversation: the decoded code
 * and the KB's likely causes for it, most likely first, each with its entry id so that
 * anyone in the conversation can ask the bot `kb <id>`. No buttons: the card is sent by the
 * user, and it must read the same wherever it is forwarded.
 */
export function codeResultCard(c: DecodedCode, causes: readonly { id: string; title: string }[], family: string | null): AdaptiveCard {
  const body: CardElement[] = [heading('Error code', { spacing: 'None' }), ...codeLines(c, 3)];
  if (causes.length > 0) {
    body.push(heading(family ? `Likely causes in ConfigMgr content downloads (${family})` : 'KB entries for this code'));
    causes.slice(0, 5).forEach((m, i) => body.push(rich([run(`${i + 1}. `), ...markdownRuns(m.title), run(`  kb ${m.id}`, { isSubtle: true, fontType: 'Monospace' })], { spacing: 'Small' })));
    body.push(text('Paste the log lines around the failure to the bot for the cause that fits this case.', { isSubtle: true }));
  } else {
    body.push(text('No KB entry names this code. Paste the log lines around the failure to the bot for an answer from the rest of the evidence.', { isSubtle: true }));
  }
  return card(body, [], `${c.code} ${codeLabel(c)}`.trim());
}

/**
 * The card the message extension inserts for a KB entry found by words: its title, what the
 * user sees, the cause in short, the sources, and (when the bot's app ID is known) a link
 * that opens a chat with the bot with `kb <id>` typed in, for the whole answer.
 */
export function entryResultCard(e: LoadedEntry, chatUrl: string | null): AdaptiveCard {
  const first = (section: string, max: number): string => {
    const para = sectionText(e.body, section).split(/\n\s*\n/).find((p) => p.trim().length > 0) ?? '';
    return clip(fillTemplate(para, {}).replace(/\s+/g, ' ').trim(), max);
  };
  const body: CardElement[] = [rich(markdownRuns(e.front.title).map((r) => ({ ...r, weight: 'Bolder' as const })), { spacing: 'None' })];
  const symptoms = first('symptoms', 400);
  if (symptoms) body.push(rich(markdownRuns(symptoms), { isSubtle: true, spacing: 'Small' }));
  const cause = first('cause', 600);
  if (cause) body.push(heading('Cause'), rich(markdownRuns(cause), { spacing: 'Small' }));
  if (e.front.links.length > 0) body.push(heading('Sources'), ...linkList(e.front.links.slice(0, 4)));
  body.push(rich([run('KB entry '), run(e.front.id, { fontType: 'Monospace' })], { isSubtle: true, size: 'Small' }));
  const actions = chatUrl ? [openUrl('Open in a chat with the bot', chatUrl)] : [];
  return card(body, actions, e.front.title);
}
