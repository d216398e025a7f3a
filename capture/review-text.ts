/**
 * The review as a KB author reads it in a terminal: what was missed most, what it looked like,
 * what the KB already has nearby, and a draft to start from; then how each entry fared.
 * Plain text, lines under 100 characters except the quoted log lines, which are kept whole
 * (up to capture/review.ts's SAMPLE_LINE_CHARS) because they are what the author matches on.
 */
import type { Review, ReviewEntry, ReviewGroup } from './review';

export interface ReviewTextOptions {
  /**
   * How many drafts to print in full, for the first groups that have one (default 3). A draft
   * is some 50 lines; past the first few the report would be mostly drafts, so the others get
   * one line saying where to find them.
   */
  drafts?: number;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '0%';
}

const KIND_LABEL: Record<ReviewGroup['kind'], string> = {
  log: 'log lines',
  prose: 'questions in prose',
  outcome: 'no sample kept',
};

function outcomeText(g: ReviewGroup): string {
  const parts = Object.entries(g.outcomes).map(([k, n]) => `${n} ${k}`);
  return parts.join(', ');
}

function groupText(g: ReviewGroup, rank: number, drafts: boolean): string[] {
  const out: string[] = [];
  const nh = g.notHelpful > 0 ? `, ${g.notHelpful} marked not helpful` : '';
  out.push(`${rank}. ${plural(g.count, 'miss', 'misses')}${nh} (${outcomeText(g)}; ${KIND_LABEL[g.kind]}) ${day(g.firstAt)} to ${day(g.lastAt)}`);
  if (g.codes.length > 0) out.push(`   codes:    ${g.codes.join(', ')}`);
  if (g.statuses.length > 0) out.push(`   HTTP:     ${g.statuses.join(', ')}`);
  if (g.formats.length > 0) out.push(`   formats:  ${g.formats.join(', ')}`);
  if (g.sample.length > 0) {
    out.push(`   sample (redacted, ${g.samples} of ${g.count} kept):`);
    for (const line of g.sample) out.push(`       ${line}`);
  } else {
    out.push('   sample:   none kept (CAPTURE=outcomes keeps no text; CAPTURE=redacted keeps a redacted copy of each miss)');
  }
  if (g.templates.length > 0) {
    out.push('   shared lines (templates):');
    for (const t of g.templates) out.push(`       ${t}`);
  }
  if (g.shown.length > 0) out.push(`   answered: ${g.shown.join(', ')}`);
  if (g.shown.length > 0 && g.notHelpful > 0 && g.kind !== 'prose') {
    out.push(`   check first: kb/entries/${g.shown[0]}.md was shown and marked not helpful; its signature may fire on a look-alike (add a not: condition or a no_match example), or this is another cause`);
  }
  out.push(`   nearest:  ${g.nearest.length > 0 ? g.nearest.join(', ') : 'nothing in the KB comes close'}`);
  if (g.families.length > 0) out.push(`   family:   ${g.families.join(', ')}`);
  if (g.kind === 'prose') {
    // The entry shown was found by search; the question is the author's lead, not a signature.
    const target = g.shown[0] ?? g.nearest[0];
    if (target !== undefined) out.push(`   next: if kb/entries/${target}.md answers these, add them under its questions:; otherwise start a new entry from the draft (--json) or npm run kb:new -- --id ${g.id}`);
    else out.push(`   next: start a new entry: npm run kb:new -- --id ${g.id}, with these sentences under questions:`);
  } else if (g.kind === 'outcome') {
    out.push(`   next: no text to draft from; ask for the log (or set CAPTURE=redacted), then npm run kb:new -- --from paste.log --id ${g.id}`);
  } else if (drafts) {
    out.push(`   draft: save as kb/entries/${g.id}.md, fill in every TODO, then run npm run kb:check`);
    out.push(`----- kb/entries/${g.id}.md -----`);
    out.push(...g.draft.replace(/\n$/, '').split('\n'));
    out.push('----- end of draft -----');
  } else {
    out.push(`   draft: kb/entries/${g.id}.md (its text is in --json output; or save a sample as paste.log and run npm run kb:new -- --from paste.log --id ${g.id})`);
  }
  return out;
}

function entryLine(e: ReviewEntry): string[] {
  const votes = e.helpful + e.notHelpful;
  const flag = e.flagged ? '  << often not helpful' : '';
  const gone = e.inKb ? '' : '  (no longer in the KB)';
  const out = [`${e.id}: shown ${e.shown}, helpful ${e.helpful}, not helpful ${e.notHelpful}${votes > 0 ? ` (${percent(e.notHelpful, votes)})` : ''}${flag}${gone}`];
  if (e.questions.length > 0) {
    out.push('    asked as (candidate questions: for the entry):');
    for (const q of e.questions) out.push(`      - text: ${JSON.stringify(q)}`);
  }
  return out;
}

/** The whole report. */
export function renderReviewText(review: Review, options: ReviewTextOptions = {}): string {
  let drafts = options.drafts ?? 3;
  const out: string[] = [];
  const window = review.since !== null ? `${day(review.since)} to ${day(review.until)}` : `everything kept, to ${day(review.until)}`;
  out.push(`KB review: ${window}`);
  out.push(`${plural(review.outcomes, 'answer')}, ${plural(review.misses, 'miss', 'misses')} (${percent(review.misses, review.outcomes)}), ${plural(review.feedback, 'feedback press', 'feedback presses')}, ${plural(review.samples, 'redacted sample')}`);
  out.push('A miss: nothing found, only a weak (low) hint, or an answer marked "Not helpful".');
  out.push('');
  const shown = review.groups.length < review.groupsTotal ? ` (top ${review.groups.length} of ${review.groupsTotal})` : '';
  out.push(`== Misses by kind, most frequent first${shown} ==`);
  if (review.groups.length === 0) out.push('No misses in this window.');
  review.groups.forEach((g, i) => {
    out.push('');
    const full = g.kind === 'log' && drafts > 0;
    if (full) drafts--;
    out.push(...groupText(g, i + 1, full));
  });
  out.push('');
  out.push('== Entries shown ==');
  if (review.entries.length === 0) out.push('No entry was shown in this window.');
  const flagged = review.entries.filter((e) => e.flagged).length;
  if (flagged > 0) out.push(`${plural(flagged, 'entry', 'entries')} marked not helpful often: read the samples of ${flagged === 1 ? 'its' : 'their'} misses above and check the signatures.`);
  const quiet: ReviewEntry[] = [];
  for (const e of review.entries) {
    if (e.helpful + e.notHelpful === 0 && e.questions.length === 0 && e.inKb) quiet.push(e);
    else out.push(...entryLine(e));
  }
  if (quiet.length > 0) {
    out.push(`Shown without feedback: ${quiet.map((e) => `${e.id} (${e.shown})`).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
