import { suggestNextLogs } from '../matchers/next-logs';
import type { DecodedCode, Diagnosis, Match } from '../matchers/types';
import {
  actionSet, card, container, evidenceLine, heading, literal, openUrl, rich, showCard, submit, text, utf16Bytes,
  type AdaptiveCard, type CardElement,
} from './card-parts';
import { clip } from './escape';
import { markdownRuns, run } from './rich-text';

/**
 * The diagnosis as an Adaptive Card: the top entry with its cause, steps, links and
 * evidence; the decoded codes; the other plausible entries behind "Show" buttons; and the
 * feedback buttons. Pure: no SDK, so the web page and the bot show the same card.
 *
 * Teams refuses messages over about 100 KB counted in UTF-16 and advises 80 KB; the card
 * is built at decreasing levels of detail until it fits the budget. Only evidence, code
 * notes and the other entries' details are shortened: the top answer never is.
 */
export const DEFAULT_CARD_BUDGET = 56_000;

interface Detail {
  evidence: number;
  lineChars: number;
  altEvidence: number;
  altDetails: boolean;
  codeNotes: number;
  maxCodes: number;
}

const LEVELS: readonly Detail[] = [
  { evidence: 8, lineChars: 500, altEvidence: 4, altDetails: true, codeNotes: 3, maxCodes: 20 },
  { evidence: 6, lineChars: 260, altEvidence: 2, altDetails: true, codeNotes: 2, maxCodes: 12 },
  { evidence: 4, lineChars: 180, altEvidence: 0, altDetails: true, codeNotes: 1, maxCodes: 8 },
  { evidence: 3, lineChars: 140, altEvidence: 0, altDetails: false, codeNotes: 0, maxCodes: 6 },
  { evidence: 1, lineChars: 100, altEvidence: 0, altDetails: false, codeNotes: 0, maxCodes: 3 },
];

export interface DiagnosisCard {
  card: AdaptiveCard;
  /** A one-line summary in the bot's own words (notifications, fallback text). */
  summary: string;
  /** True when evidence or details were shortened to fit the budget. */
  trimmed: boolean;
}

export function diagnosisCard(d: Diagnosis, budgetBytes: number = DEFAULT_CARD_BUDGET): DiagnosisCard {
  const summary = summarize(d);
  let built: AdaptiveCard | undefined;
  for (const [i, level] of LEVELS.entries()) {
    built = build(d, level, summary, i > 0);
    if (utf16Bytes(built) <= budgetBytes) return { card: built, summary, trimmed: i > 0 };
  }
  return { card: built ?? build(d, LEVELS[LEVELS.length - 1] as Detail, summary, true), summary, trimmed: true };
}

function summarize(d: Diagnosis): string {
  const top = d.matches[0];
  if (!top) return 'No KB entry matches this paste.';
  return `${top.title} (confidence ${top.confidence})`;
}

function build(d: Diagnosis, level: Detail, summary: string, trimmed: boolean): AdaptiveCard {
  const body: CardElement[] = [header(d)];
  const [top, ...others] = d.matches;
  if (top) body.push(container(answer(top, level.evidence, level.lineChars), { style: 'emphasis', bleed: false }));
  else body.push(...nothingMatched(d));
  if (d.codes.length > 0) body.push(...codes(d.codes, level));
  if (others.length > 0) body.push(...alternatives(others, level));
  const notes = [...d.warnings];
  if (trimmed) notes.push('Some evidence lines and details were shortened to keep this reply within the Teams message size.');
  if (notes.length > 0) body.push(container(notes.map((n) => literal(n, { color: 'Warning', spacing: 'Small' })), { spacing: 'Medium' }));
  const actions = top
    ? [submit('Helpful', { action: 'feedback', id: top.id, verdict: 'helpful' }), submit('Not helpful', { action: 'feedback', id: top.id, verdict: 'not-helpful' })]
    : [];
  return card(body, actions, summary);
}

function header(d: Diagnosis): CardElement {
  const source = d.file !== null ? [run('Diagnosis of '), run(clip(d.file, 120), { fontType: 'Monospace' })] : [run('Diagnosis of the pasted text')];
  return rich([...source, run(` · ${d.lines} line${d.lines === 1 ? '' : 's'} · ${d.format}`)], { isSubtle: true, size: 'Small' });
}

/** Cause, numbered steps, links and evidence of one entry. */
function answer(m: Match, evidence: number, lineChars: number): CardElement[] {
  const out: CardElement[] = [
    rich(markdownRuns(m.title).map((r) => ({ ...r, weight: 'Bolder' as const })), { size: 'Medium' }),
    text(`Confidence: ${m.confidence} · ${m.basis === 'search' ? 'full-text search only' : 'matched by log signature'} · KB entry ${m.id}`, {
      isSubtle: true, spacing: 'Small', color: m.confidence === 'high' ? 'Good' : m.confidence === 'medium' ? 'Warning' : 'Default',
    }),
    heading('Cause'),
    rich(markdownRuns(m.cause), { spacing: 'Small' }),
    heading('Resolution'),
    ...m.resolution.map((step, k) => rich([run(`${k + 1}. `, { weight: 'Bolder' }), ...markdownRuns(step)], { spacing: 'Small' })),
  ];
  if (m.links.length > 0) out.push(actionSet(m.links.slice(0, 5).map((l) => openUrl(l.title, l.url)), { spacing: 'Medium' }));
  if (m.evidence.length > 0 && evidence > 0) {
    const shown = m.evidence.slice(0, evidence);
    const more = m.evidence.length - shown.length;
    out.push(heading(more > 0 ? `Evidence (${shown.length} of ${m.evidence.length} lines)` : 'Evidence'));
    for (const e of shown) out.push(evidenceLine(e.line, e.text, lineChars));
  }
  return out;
}

function nothingMatched(d: Diagnosis): CardElement[] {
  const out: CardElement[] = [heading('No KB entry matches this paste.', { size: 'Medium', spacing: 'Small' })];
  const found: [string, readonly string[]][] = [
    ['HTTP statuses', d.facts.http], ['Files', d.facts.files], ['Events', d.facts.events], ['Packages', d.facts.packages], ['Logs recognised', d.facts.logs],
  ];
  const facts = found.filter(([, v]) => v.length > 0);
  if (facts.length > 0) {
    out.push(heading('What the paste shows'));
    for (const [label, values] of facts) {
      out.push(rich([run(`${label}: `, { weight: 'Bolder' }), run(values.slice(0, 10).map((v) => clip(v, 80)).join(', '), { fontType: 'Monospace' })], { spacing: 'Small' }));
    }
  }
  out.push(heading('Collect next'));
  for (const s of suggestNextLogs(d)) out.push(rich([run('• '), ...markdownRuns(s)], { spacing: 'Small' }));
  out.push(text('Paste those logs here too, or try search with a few words of the error message.', { isSubtle: true, spacing: 'Medium' }));
  return out;
}

function codes(list: readonly DecodedCode[], level: Detail): CardElement[] {
  const out: CardElement[] = [heading(list.length > level.maxCodes ? `Error codes (${level.maxCodes} of ${list.length})` : 'Error codes')];
  for (const c of list.slice(0, level.maxCodes)) out.push(...codeLines(c, level.codeNotes));
  return out;
}

/** One decoded code: spelling, name and message, then up to `notes` notes. Shared with the `code` command. */
export function codeLines(c: DecodedCode, notes: number): CardElement[] {
  const out: CardElement[] = [rich([
    run(c.code, { fontType: 'Monospace', weight: 'Bolder' }),
    run(`  ${c.name ?? 'unknown name'}${c.message ? ` – ${c.message}` : ''}`),
    run(`  (${c.decimal}, ${c.facility})`, { isSubtle: true }),
  ], { spacing: 'Small' })];
  for (const n of c.notes.slice(0, notes)) out.push(rich(markdownRuns(n), { isSubtle: true, spacing: 'None' }));
  return out;
}

function alternatives(others: readonly Match[], level: Detail): CardElement[] {
  const out: CardElement[] = [heading('Other possible causes', { spacing: 'Large', separator: true })];
  for (const m of others) {
    out.push(rich([...markdownRuns(m.title), run(` – confidence ${m.confidence}`, { isSubtle: true })], { spacing: 'Small' }));
    const action = level.altDetails
      ? showCard('Show this cause', answer(m, level.altEvidence, level.lineChars))
      : submit('Show this entry', { action: 'kb', id: m.id });
    out.push(actionSet([action], { spacing: 'None' }));
  }
  return out;
}
