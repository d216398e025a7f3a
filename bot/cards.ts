import { suggestNextLogs } from '../matchers/next-logs';
import type { DecodedCode, Diagnosis, Match, SymptomAnswer } from '../matchers/types';
import {
  actionSet, card, type FollowUpData, container, evidenceLine, heading, linkList, literal, rich, showCard, submit, text, utf16Bytes,
  type AdaptiveCard, type CardElement,
} from './card-parts';
import { codeLabel } from './code-label';
import { LIKENESS_NOTE, offTopicReason } from './render-text';
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

/**
 * `outcome` is the id of the outcome record the server keeps for this reply: the feedback
 * and follow-up buttons carry it back, so that a press joins its outcome.
 */
export function diagnosisCard(d: Diagnosis, budgetBytes: number = DEFAULT_CARD_BUDGET, outcome?: string): DiagnosisCard {
  const summary = summarize(d);
  let built: AdaptiveCard | undefined;
  for (const [i, level] of LEVELS.entries()) {
    built = build(d, level, summary, i > 0, outcome);
    if (utf16Bytes(built) <= budgetBytes) return { card: built, summary, trimmed: i > 0 };
  }
  return { card: built ?? build(d, LEVELS[LEVELS.length - 1] as Detail, summary, true, outcome), summary, trimmed: true };
}

function summarize(d: Diagnosis): string {
  const top = d.matches[0];
  if (d.offTopic) return OFF_TOPIC;
  if (d.symptom && top?.basis === 'family') return `${d.symptom.title}: ${d.symptom.causes.length} possible cause${d.symptom.causes.length === 1 ? '' : 's'}, most likely ${top.title}`;
  if (!top) return 'No KB entry matches this paste.';
  return `${top.title} (confidence ${top.confidence})`;
}

function build(d: Diagnosis, level: Detail, summary: string, trimmed: boolean, outcome: string | undefined): AdaptiveCard {
  const joined = outcome !== undefined ? { outcome } : {};
  const body: CardElement[] = [header(d)];
  const [top, ...others] = d.matches;
  const familyLeads = d.symptom !== null && top?.basis === 'family';
  if (d.offTopic) {
    body.push(...offTopic(d));
    if (d.codes.length > 0) body.push(...codes(d.codes, level));
  } else if (familyLeads && d.symptom) {
    // A bare code or one line: say what the code is first, then what it can mean here.
    if (d.codes.length > 0) body.push(...codes(d.codes, level));
    body.push(container(familyAnswer(d, d.symptom, level, joined), { style: 'emphasis', bleed: false }));
  } else {
    if (top) body.push(container([...answer(top, level.evidence, level.lineChars), ...familyContext(d.symptom, top)], { style: 'emphasis', bleed: false }));
    else body.push(...nothingMatched(d));
    if (d.codes.length > 0) body.push(...codes(d.codes, level));
    if (others.length > 0) body.push(...alternatives(others, level));
  }
  const notes = [...d.warnings];
  if (trimmed) notes.push('Some evidence lines and details were shortened to keep this reply within the Teams message size.');
  if (notes.length > 0) body.push(container(notes.map((n) => literal(n, { color: 'Warning', spacing: 'Small' })), { spacing: 'Medium' }));
  const actions = top && !d.offTopic
    ? [submit('Helpful', { action: 'feedback', id: top.id, verdict: 'helpful', ...joined }), submit('Not helpful', { action: 'feedback', id: top.id, verdict: 'not-helpful', ...joined })]
    : [];
  return card(body, actions, summary);
}

function header(d: Diagnosis): CardElement {
  const source = d.file !== null ? [run('Diagnosis of '), run(clip(d.file, 120), { fontType: 'Monospace' })] : [run('Diagnosis of the pasted text')];
  return rich([...source, run(` · ${d.lines} line${d.lines === 1 ? '' : 's'} · ${d.format}`)], { isSubtle: true, size: 'Small' });
}

const BASIS: Readonly<Record<Match['basis'], string>> = {
  signature: 'matched by log signature',
  search: 'full-text search only',
  code: 'shares an error code of the paste',
  family: 'a possible cause of the symptom',
};

const MAX_FAMILY_DETAILS = 3;
const MAX_FAMILY_CAUSES = 8;

export const OFF_TOPIC = 'I only know Configuration Manager content download problems.';

function offTopic(d: Diagnosis): CardElement[] {
  const example = (s: string): CardElement => rich([run(s, { fontType: 'Monospace' })], { spacing: 'Small' });
  return [
    heading(OFF_TOPIC, { size: 'Medium', spacing: 'Small' }),
    text(`${offTopicReason(d)} Paste the lines around a failed download instead, for example:`, { spacing: 'Small' }),
    example('Download failed for content PS100245.3 under context System, error 0x80091007'),
    example('2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/db/data.ldf - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 7 0 15'),
    example('0x80190194'),
    text('Type help for more.', { isSubtle: true, spacing: 'Small' }),
  ];
}

/**
 * A family answer: what the symptom means, the candidate causes most likely first with the
 * one observation that tells each apart, yes/no questions that narrow the list, and what
 * to paste next. Nothing here is above low confidence.
 */
function familyAnswer(d: Diagnosis, s: SymptomAnswer, level: Detail, joined: { outcome?: string }): CardElement[] {
  const out: CardElement[] = [
    rich(markdownRuns(s.title).map((r) => ({ ...r, weight: 'Bolder' as const })), { size: 'Medium' }),
    text(`Symptom · ${s.causes.length} possible cause${s.causes.length === 1 ? '' : 's'}, most likely first for this paste · none is proven yet`, { isSubtle: true, spacing: 'Small', color: 'Warning' }),
    ...(s.namedFrom === 'likeness' ? [text(LIKENESS_NOTE, { isSubtle: true, spacing: 'Small' })] : []),
    rich(markdownRuns(s.summary), { spacing: 'Small' }),
    heading('Possible causes'),
  ];
  const byId = new Map(d.matches.map((m) => [m.id, m]));
  const listed = s.causes.slice(0, MAX_FAMILY_CAUSES);
  listed.forEach((c, k) => {
    out.push(rich([run(`${k + 1}. `, { weight: 'Bolder' }), ...markdownRuns(c.title).map((r) => ({ ...r, weight: 'Bolder' as const }))], { spacing: 'Small' }));
    out.push(rich([run('How to tell: ', { isSubtle: true }), ...markdownRuns(c.confirm)], { spacing: 'None' }));
    const m = byId.get(c.id);
    // The likeliest causes open in place; the rest are one click away, which keeps the card small.
    const action = m && level.altDetails && k < MAX_FAMILY_DETAILS
      ? showCard('Show this cause', answer(m, 0, level.lineChars))
      : submit('Show this entry', { action: 'kb', id: c.id });
    out.push(actionSet([action], { spacing: 'None' }));
  });
  const rest = s.causes.slice(MAX_FAMILY_CAUSES);
  if (rest.length > 0) {
    out.push(text(`${rest.length} less likely cause${rest.length === 1 ? '' : 's'}:`, { isSubtle: true, spacing: 'Small' }));
    out.push(actionSet([showCard('Show them', rest.map((c, k) => rich([run(`${MAX_FAMILY_CAUSES + k + 1}. `), ...markdownRuns(c.title), run(` (kb ${c.id})`, { isSubtle: true })], { spacing: 'Small' })))], { spacing: 'None' }));
  }
  if (s.questions.length > 0) {
    out.push(heading('Narrow it down'));
    const codesSeen = [...new Set(d.codes.map((c) => c.decimal >>> 0))].slice(0, 20);
    for (const q of s.questions) {
      const reply = (value: boolean): FollowUpData => ({ action: 'followup', family: s.id, answers: { ...s.answers, [q.situation]: value }, seen: s.known, codes: codesSeen, ...joined });
      out.push(rich(markdownRuns(q.ask), { spacing: 'Small' }));
      out.push(actionSet([submit('Yes', reply(true)), submit('No', reply(false))], { spacing: 'None' }));
    }
  }
  if (s.collect.length > 0) {
    out.push(heading('Paste next'));
    for (const c of s.collect) out.push(rich([run('• '), ...markdownRuns(c)], { spacing: 'Small' }));
  }
  const top = d.matches[0];
  if (top && top.evidence.length > 0 && level.evidence > 0) {
    const shown = top.evidence.slice(0, Math.min(level.evidence, 4));
    out.push(heading('The lines that show the symptom'));
    for (const e of shown) out.push(evidenceLine(e.line, e.text, level.lineChars));
  }
  return out;
}

/** Under a proven answer: the symptom it explains, and how many other causes that symptom has. */
function familyContext(s: SymptomAnswer | null, top: Match): CardElement[] {
  if (!s || top.basis !== 'signature' || top.confidence === 'low') return [];
  const others = s.causes.filter((c) => c.id !== top.id).length;
  return [text(`This is one cause of the symptom "${s.title}"${others > 0 ? `, which has ${others} other known cause${others === 1 ? '' : 's'}; the evidence above points to this one` : ''}.`, { isSubtle: true, spacing: 'Medium' })];
}

/** Cause, numbered steps, links and evidence of one entry. */
function answer(m: Match, evidence: number, lineChars: number): CardElement[] {
  const out: CardElement[] = [
    rich(markdownRuns(m.title).map((r) => ({ ...r, weight: 'Bolder' as const })), { size: 'Medium' }),
    text(`Confidence: ${m.confidence} · ${BASIS[m.basis]} · KB entry ${m.id}`, {
      isSubtle: true, spacing: 'Small', color: m.confidence === 'high' ? 'Good' : m.confidence === 'medium' ? 'Warning' : 'Default',
    }),
    heading('Cause'),
    rich(markdownRuns(m.cause), { spacing: 'Small' }),
    heading('Resolution'),
    ...m.resolution.map((step, k) => rich([run(`${k + 1}. `, { weight: 'Bolder' }), ...markdownRuns(step)], { spacing: 'Small' })),
  ];
  if (m.links.length > 0) out.push(heading('Sources', { spacing: 'Medium' }), ...linkList(m.links.slice(0, 5)));
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
    run(`  ${codeLabel(c)}`),
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
