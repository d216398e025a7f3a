/**
 * `npm run kb:review`: what the KB's authors should write next, from what the bot kept about
 * its use (capture/records.ts). Pure: records and a KB in, a Review out; reading the store,
 * loading the KB and printing are the command's job (scripts/kb-review.ts).
 *
 * A *miss* is an answer that did not help: nothing found (`none`), only a weak hint (`low`), or
 * any answer someone marked "Not helpful". Misses that share what their pastes say are one
 * group: the templates of their telling lines with their codes and statuses
 * (capture/template.ts) when a redacted sample was kept (`CAPTURE=redacted`), otherwise their
 * codes, statuses and log formats. Questions in prose have no log shape to share; they are
 * grouped by the entry full-text search finds nearest to them. Groups are ranked by how often
 * the miss happened, then by the share of it marked "Not helpful", because a frequent miss is
 * where a new entry pays most and a disliked answer is worse than none.
 *
 * For each group the review runs the KB over the sample (what is near: weak matches, symptom
 * families, search) and drafts an entry with `kb:new`'s drafting (kb/check/draft-entry.ts), so
 * an author starts from a file, not from a blank page.
 */
import { draftEntry } from '../kb/check/draft-entry';
import { diagnoseText } from '../matchers/diagnose';
import type { KnowledgeBase } from '../matchers/knowledge';
import { isProse } from '../matchers/prose-line';
import { splitLines } from '../matchers/split-lines';
import type { CaptureRecord, FeedbackRecord, Outcome, OutcomeRecord, SampleRecord } from './records';
import { pasteKey, type PasteKey } from './template';

/** One kind of miss, as the review shows it. The first six fields are the documented JSON shape. */
export interface ReviewGroup {
  /** Misses in the group. */
  count: number;
  /** Of those, how many were marked "Not helpful". */
  notHelpful: number;
  /** Up to SAMPLE_LINES redacted lines of the latest sample: the lines that told most. */
  sample: string[];
  codes: string[];
  /** KB entries nearest to the sample (weak matches, family members, search), best first. */
  nearest: string[];
  /** A KB entry drafted from the sample (kb:new's format), with TODOs where a person must write. */
  draft: string;
  /** The suggested entry id; the draft's file is `kb/entries/<id>.md`. */
  id: string;
  statuses: string[];
  /** Symptom families the sample shows or the answers gave. */
  families: string[];
  /** The templates the group shares (empty for groups without a sample). */
  templates: string[];
  formats: string[];
  /** Entries the bot showed for these misses, most often first (what did not help). */
  shown: string[];
  /** How the misses were answered. */
  outcomes: Partial<Record<Outcome, number>>;
  /** How many misses of the group kept a redacted sample. */
  samples: number;
  /** `log` (grouped by the sample's lines), `prose` (questions), or `outcome` (no sample kept). */
  kind: 'log' | 'prose' | 'outcome';
  firstAt: string;
  lastAt: string;
}

/** How one entry fared. The first five fields are the documented JSON shape. */
export interface ReviewEntry {
  id: string;
  /** Answers that showed the entry. */
  shown: number;
  helpful: number;
  notHelpful: number;
  /** Questions in prose answered with this entry and kept as samples: candidate `questions:`. */
  questions: string[];
  title: string | null;
  /** False when the id is no longer in the KB (renamed or removed since the answer). */
  inKb: boolean;
  /** notHelpful / (helpful + notHelpful), 0 without votes. */
  notHelpfulRate: number;
  /** Marked "Not helpful" at least FLAG_MIN_NOT_HELPFUL times and at least FLAG_RATE of its votes. */
  flagged: boolean;
}

export interface Review {
  /** Start of the window reviewed (ISO), or null for everything kept. */
  since: string | null;
  /** When the review was made (ISO). */
  until: string;
  /** Records read in the window. */
  records: number;
  outcomes: number;
  misses: number;
  feedback: number;
  samples: number;
  /** Groups before `top` cut the list. */
  groupsTotal: number;
  groups: ReviewGroup[];
  entries: ReviewEntry[];
}

export interface ReviewOptions {
  /** Ignore records before this time. */
  since?: Date;
  /** The review's time, for `until` (default: the clock). */
  now?: Date;
  /** Keep only the first `top` groups (drafts are made only for those). Default: all. */
  top?: number;
  /** Healthy and other products' logs: drafted line patterns that match them are dropped (as kb:new does). */
  avoid?: readonly string[];
}

/** Redacted lines shown per group. */
export const SAMPLE_LINES = 3;
/** Characters shown of one sample line. */
export const SAMPLE_LINE_CHARS = 300;
/** Entries listed as nearest to a group. */
export const NEAREST = 5;
/** Suggested phrasings kept per entry. */
export const QUESTIONS_PER_ENTRY = 5;
/** An entry is flagged from this many "Not helpful" votes ... */
export const FLAG_MIN_NOT_HELPFUL = 2;
/** ... when they are at least this share of its votes. */
export const FLAG_RATE = 0.5;

interface Miss {
  outcome: OutcomeRecord;
  sample: SampleRecord | undefined;
  notHelpful: boolean;
}

interface GroupDraft {
  key: string;
  kind: ReviewGroup['kind'];
  misses: Miss[];
  paste: PasteKey | undefined;
  /** For prose groups: the entry search found nearest. */
  proseNearest: string | null;
}

/** The latest helpful / not-helpful verdict per outcome: a user who changes their mind counts once. */
function latestVerdicts(feedback: readonly FeedbackRecord[]): Map<string, FeedbackRecord> {
  const out = new Map<string, FeedbackRecord>();
  for (const f of feedback) {
    if (f.verdict === 'followup') continue;
    const before = out.get(f.id);
    if (before === undefined || before.at <= f.at) out.set(f.id, f);
  }
  return out;
}

function clipLine(line: string, n = SAMPLE_LINE_CHARS): string {
  const one = line.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  for (const line of splitLines(text)) {
    if (line.trim().length === 0) continue;
    out.push(clipLine(line));
    if (out.length >= n) break;
  }
  return out;
}

/** A question is a few lines at most; a longer text in words is a pasted document or log. */
const QUESTION_MAX_CHARS = 400;
const QUESTION_MAX_LINES = 3;

/**
 * The sample's question as one line, or undefined when the sample does not read as one. The
 * outcome's `prose` flag says the paste had no log format (it is also set for plain-text log
 * lines and bare codes), so the words themselves must read as a sentence too.
 */
function questionOf(outcome: OutcomeRecord, sample: SampleRecord): string | undefined {
  if (outcome.prose === false) return undefined;
  const raw = sample.text.trim();
  if (raw.length === 0 || raw.length > QUESTION_MAX_CHARS || raw.split(/\r?\n|\r/).length > QUESTION_MAX_LINES) return undefined;
  const text = raw.replace(/\s+/g, ' ');
  if (!isProse(text)) return undefined;
  // A CMTrace or IIS line has many words too; only text no log format claims is a question.
  return pasteKey(raw).formats.every((f) => f === 'text') ? clipLine(text, 200) : undefined;
}

function countBy<T>(items: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1);
  return m;
}

function byCount<T>(m: Map<T, number>): T[] {
  return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'in', 'on', 'at', 'for', 'from', 'with', 'by', 'and', 'or', 'is', 'was', 'be', 'under', 'as', 'this', 'that', 'it', 'its']);
/** Words of a question that name nothing ("do" stays for logs, where it is Delivery Optimization). */
const QUESTION_WORDS = new Set(['why', 'how', 'what', 'when', 'does', 'do', 'did', 'not', 'no', 'my', 'our', 'we', 'can', 'still', 'get', 'are']);

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}

/** A template's fixed words, without placeholders and brackets: "DO job failed with error 0x80D02002 for content". */
function plainWords(template: string): string {
  return template.replace(/^\[[^\]]*\]\s*/, '').replace(/<[a-z]+>(?:\.[a-z0-9]+)?/g, ' ').replace(/[^\w\s.:-]|(?<=\s)[.:-]+(?=\s)/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A kebab-case id from the group's telling line and first code, not colliding with `taken`. */
function suggestId(group: GroupDraft, codes: readonly string[], taken: Set<string>): string {
  const first = group.kind === 'prose' ? firstQuestion(group) ?? '' : group.paste?.telling[0]?.template ?? '';
  const words = plainWords(first).split(/\s+/)
    .map((w) => w.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, ''))
    .filter((w) => /^[a-z]{2,}$/.test(w) && !STOP_WORDS.has(w) && !(group.kind === 'prose' && QUESTION_WORDS.has(w)));
  const picked = [...new Set(words)].slice(0, 5);
  const code = codes[0]?.toLowerCase();
  let base = slug([...picked, ...(code !== undefined ? [code] : [])].join(' '));
  if (picked.length === 0) base = slug(`${group.kind === 'prose' ? 'question-without-an-entry' : 'cause-of'} ${code ?? ''}`);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function firstQuestion(group: GroupDraft): string | undefined {
  for (const m of group.misses) {
    const q = m.sample ? questionOf(m.outcome, m.sample) : undefined;
    if (q !== undefined) return q;
  }
  return undefined;
}

function suggestTitle(group: GroupDraft, codes: readonly string[], statuses: readonly string[]): string {
  if (group.kind === 'prose') {
    const q = firstQuestion(group);
    if (q !== undefined) return clipLine(`asked as "${q}"`, 110);
  }
  const first = group.paste?.telling[0];
  if (first !== undefined) {
    const words = plainWords(first.template);
    const where = first.record.component ?? first.record.log;
    return clipLine(`${words}${where !== undefined && !words.includes(where) ? ` (${where})` : ''}`, 110);
  }
  const facts = [...codes, ...statuses.map((s) => `HTTP ${s}`)];
  return facts.length > 0 ? `A failure that logs ${facts.join(', ')}` : 'A question the KB does not answer yet';
}

/**
 * kb:new's draft for the group's sample, with the suggested id and title put in. The title
 * keeps a TODO: it names what was seen, and an entry's title names the cause.
 */
function makeDraft(group: GroupDraft, id: string, title: string, avoid: readonly string[]): string {
  const sample = latestSample(group);
  const text = group.kind === 'log' ? sample?.text : undefined;
  const draft = draftEntry({ text, id, avoid });
  const titleLine = /^title: "TODO:[^\n]*$/m;
  let md = draft.markdown.replace(titleLine, `title: ${JSON.stringify(`TODO: name the cause. Seen as: ${title}`)}`);
  md = md.replace(new RegExp(`^id: ${id}$`, 'm'), `id: ${id}  # suggested from what was pasted; rename it after the cause (the file is kb/entries/<id>.md)`);
  if (group.kind === 'prose') {
    const questions = [...new Set(group.misses.flatMap((m) => (m.sample ? [questionOf(m.outcome, m.sample)] : [])).filter((q): q is string => q !== undefined))];
    if (questions.length > 0) {
      const block = ['questions:', '  # Asked in chat and not answered well; keep those this entry answers. No source: they were typed in chat, not taken from a public page.',
        ...questions.slice(0, QUESTIONS_PER_ENTRY).map((q) => `  - text: ${JSON.stringify(q)}`)].join('\n');
      md = md.replace(/^links:$/m, `${block}\nlinks:`);
    }
  }
  return md;
}

function latestSample(group: GroupDraft): SampleRecord | undefined {
  let best: SampleRecord | undefined;
  for (const m of group.misses) if (m.sample && (best === undefined || best.at <= m.sample.at)) best = m.sample;
  return best;
}

/** The telling lines of the latest sample as pasted (redacted), in paste order. */
function sampleLines(group: GroupDraft): string[] {
  const sample = latestSample(group);
  if (sample === undefined) return [];
  if (group.kind === 'prose') {
    const qs = [...new Set(group.misses.flatMap((m) => (m.sample ? [questionOf(m.outcome, m.sample)] : [])).filter((q): q is string => q !== undefined))];
    return qs.slice(0, SAMPLE_LINES);
  }
  const key = pasteKey(sample.text);
  if (key.telling.length === 0) return firstLines(sample.text, SAMPLE_LINES);
  const wanted = key.telling.slice(0, SAMPLE_LINES).map((t) => t.record).sort((a, b) => a.line - b.line);
  const lines = [...splitLines(sample.text)];
  return wanted.map((r) => clipLine(lines.slice(r.line - 1, r.endLine).join(' ')));
}

function nearestFor(group: GroupDraft, kb: KnowledgeBase, codes: readonly string[], statuses: readonly string[]): { nearest: string[]; families: string[] } {
  const sample = latestSample(group);
  const probe = sample !== undefined
    ? sample.text
    : [...codes, ...statuses.map((s) => `HTTP status ${s}`)].join('\n');
  const nearest: string[] = [];
  const families: string[] = [];
  if (probe.trim().length > 0) {
    const d = diagnoseText(probe, kb, { maxMatches: NEAREST, timeBudgetMs: 2_000 });
    for (const m of d.matches) if (!nearest.includes(m.id)) nearest.push(m.id);
    if (d.symptom) {
      families.push(d.symptom.id);
      for (const c of d.symptom.causes) if (nearest.length < NEAREST && !nearest.includes(c.id)) nearest.push(c.id);
    }
  }
  // Nothing matched even weakly: full-text search over the fixed words of the telling lines
  // still points at the entries that talk about the same thing.
  if (nearest.length === 0) {
    const words = [...(group.paste?.templates ?? []).map(plainWords), ...codes].join(' ');
    if (words.trim().length > 0) {
      const scored = [...kb.search(words)].sort((a, b) => b[1] - a[1]).slice(0, 3);
      for (const [index] of scored) {
        const id = kb.entries[index]?.id;
        if (id !== undefined && !nearest.includes(id)) nearest.push(id);
      }
    }
  }
  for (const m of group.misses) if (m.outcome.family && !families.includes(m.outcome.family)) families.push(m.outcome.family);
  return { nearest: nearest.slice(0, NEAREST), families };
}

/** The entry full-text search puts first for a question, or null. */
function searchTop(kb: KnowledgeBase, text: string): string | null {
  let best: { index: number; score: number } | undefined;
  for (const [index, score] of kb.search(text)) if (best === undefined || score > best.score) best = { index, score };
  return best !== undefined ? kb.entries[best.index]?.id ?? null : null;
}

/**
 * Reads the records (any order; the store yields them oldest day first) and builds the review.
 * Feedback and samples are joined to their answer by outcome id.
 */
export async function buildReview(
  records: Iterable<CaptureRecord> | AsyncIterable<CaptureRecord>,
  kb: KnowledgeBase,
  options: ReviewOptions = {},
): Promise<Review> {
  const since = options.since?.getTime();
  const outcomes = new Map<string, OutcomeRecord>();
  const feedback: FeedbackRecord[] = [];
  const samples = new Map<string, SampleRecord>();
  let read = 0;
  for await (const r of records) {
    const at = Date.parse(r.at);
    if (Number.isNaN(at) || (since !== undefined && at < since)) continue;
    read++;
    if (r.type === 'outcome') outcomes.set(r.id, r);
    else if (r.type === 'feedback') feedback.push(r);
    else if (r.type === 'sample') {
      const before = samples.get(r.id);
      if (before === undefined || before.at <= r.at) samples.set(r.id, r);
    }
  }
  const verdicts = latestVerdicts(feedback);

  // Misses, grouped.
  const misses: Miss[] = [];
  for (const o of outcomes.values()) {
    const notHelpful = verdicts.get(o.id)?.verdict === 'not-helpful';
    if (o.outcome === 'none' || o.outcome === 'low' || notHelpful) misses.push({ outcome: o, sample: samples.get(o.id), notHelpful });
  }
  misses.sort((a, b) => (a.outcome.at < b.outcome.at ? -1 : a.outcome.at > b.outcome.at ? 1 : 0));
  const groups = new Map<string, GroupDraft>();
  for (const miss of misses) {
    let key: string;
    let kind: ReviewGroup['kind'];
    let paste: PasteKey | undefined;
    let proseNearest: string | null = null;
    const question = miss.sample ? questionOf(miss.outcome, miss.sample) : undefined;
    if (miss.sample && question !== undefined) {
      kind = 'prose';
      proseNearest = searchTop(kb, miss.sample.text);
      key = `prose|${proseNearest ?? '-'}`;
    } else if (miss.sample) {
      kind = 'log';
      paste = pasteKey(miss.sample.text);
      key = paste.templates.length > 0 ? paste.key : `${paste.key}|f:${paste.formats.join(',')}`;
    } else {
      kind = 'outcome';
      const o = miss.outcome;
      key = `outcome|c:${[...o.codes].sort().join(',')}|s:${[...o.statuses].sort().join(',')}|f:${[...o.formats].sort().join(',')}|p:${o.prose === true}`;
    }
    const g = groups.get(key);
    if (g) g.misses.push(miss);
    else groups.set(key, { key, kind, misses: [miss], paste, proseNearest });
  }

  const ranked = [...groups.values()].sort((a, b) => {
    if (b.misses.length !== a.misses.length) return b.misses.length - a.misses.length;
    const rate = (g: GroupDraft): number => g.misses.filter((m) => m.notHelpful).length / g.misses.length;
    if (rate(b) !== rate(a)) return rate(b) - rate(a);
    const last = (g: GroupDraft): string => g.misses[g.misses.length - 1]?.outcome.at ?? '';
    if (last(a) !== last(b)) return last(a) < last(b) ? 1 : -1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const kept = options.top !== undefined ? ranked.slice(0, Math.max(0, options.top)) : ranked;
  const taken = new Set(kb.entries.map((e) => e.id));
  const reviewGroups = kept.map((g) => toGroup(g, kb, taken, options.avoid ?? []));

  return {
    since: options.since ? options.since.toISOString() : null,
    until: (options.now ?? new Date()).toISOString(),
    records: read,
    outcomes: outcomes.size,
    misses: misses.length,
    feedback: feedback.length,
    samples: samples.size,
    groupsTotal: ranked.length,
    groups: reviewGroups,
    entries: entryStats(outcomes, verdicts, samples, kb),
  };
}

function toGroup(g: GroupDraft, kb: KnowledgeBase, taken: Set<string>, avoid: readonly string[]): ReviewGroup {
  const codes = new Set<string>();
  const statuses = new Set<string>();
  const formats = new Set<string>();
  for (const m of g.misses) {
    for (const c of m.outcome.codes) codes.add(c.toUpperCase().replace(/^0X/, '0x'));
    for (const s of m.outcome.statuses) statuses.add(s);
    for (const f of m.outcome.formats) formats.add(f);
  }
  if (g.paste) {
    for (const c of g.paste.codes) codes.add(c);
    for (const s of g.paste.statuses) statuses.add(s);
    for (const f of g.paste.formats) formats.add(f);
  }
  const codeList = [...codes].sort();
  const statusList = [...statuses].sort();
  const { nearest, families } = g.kind === 'prose' && g.proseNearest !== null
    ? mergeNearest(g.proseNearest, nearestFor(g, kb, codeList, statusList))
    : nearestFor(g, kb, codeList, statusList);
  const id = suggestId(g, codeList, taken);
  const title = suggestTitle(g, codeList, statusList);
  const outcomes: Partial<Record<Outcome, number>> = {};
  for (const m of g.misses) outcomes[m.outcome.outcome] = (outcomes[m.outcome.outcome] ?? 0) + 1;
  return {
    count: g.misses.length,
    notHelpful: g.misses.filter((m) => m.notHelpful).length,
    sample: sampleLines(g),
    codes: codeList,
    nearest,
    draft: makeDraft(g, id, title, avoid),
    id,
    statuses: statusList,
    families,
    templates: g.paste?.templates ?? [],
    formats: [...formats].sort(),
    shown: byCount(countBy(g.misses.flatMap((m) => m.outcome.entries.slice(0, 1)))),
    outcomes,
    samples: g.misses.filter((m) => m.sample !== undefined).length,
    kind: g.kind,
    firstAt: g.misses[0]?.outcome.at ?? '',
    lastAt: g.misses[g.misses.length - 1]?.outcome.at ?? '',
  };
}

function mergeNearest(first: string, rest: { nearest: string[]; families: string[] }): { nearest: string[]; families: string[] } {
  return { nearest: [first, ...rest.nearest.filter((n) => n !== first)].slice(0, NEAREST), families: rest.families };
}

function entryStats(
  outcomes: ReadonlyMap<string, OutcomeRecord>,
  verdicts: ReadonlyMap<string, FeedbackRecord>,
  samples: ReadonlyMap<string, SampleRecord>,
  kb: KnowledgeBase,
): ReviewEntry[] {
  const stats = new Map<string, { shown: number; helpful: number; notHelpful: number; questions: string[] }>();
  const of = (id: string) => {
    let s = stats.get(id);
    if (!s) stats.set(id, (s = { shown: 0, helpful: 0, notHelpful: 0, questions: [] }));
    return s;
  };
  for (const o of outcomes.values()) {
    for (const id of new Set(o.entries)) of(id).shown++;
    const sample = samples.get(o.id);
    const top = o.entries[0];
    if (sample && top !== undefined) {
      const q = questionOf(o, sample);
      const s = of(top);
      if (q !== undefined && !s.questions.includes(q) && s.questions.length < QUESTIONS_PER_ENTRY) s.questions.push(q);
    }
  }
  for (const f of verdicts.values()) {
    const id = f.entry ?? outcomes.get(f.id)?.entries[0];
    if (id === undefined) continue;
    if (f.verdict === 'helpful') of(id).helpful++;
    else if (f.verdict === 'not-helpful') of(id).notHelpful++;
  }
  const titles = new Map(kb.entries.map((e) => [e.id, e.title]));
  return [...stats.entries()].map(([id, s]) => {
    const votes = s.helpful + s.notHelpful;
    const rate = votes > 0 ? s.notHelpful / votes : 0;
    return {
      id,
      shown: s.shown,
      helpful: s.helpful,
      notHelpful: s.notHelpful,
      questions: s.questions,
      title: titles.get(id) ?? null,
      inKb: titles.has(id),
      notHelpfulRate: Math.round(rate * 100) / 100,
      flagged: s.notHelpful >= FLAG_MIN_NOT_HELPFUL && rate >= FLAG_RATE,
    };
  }).sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.notHelpful - a.notHelpful || b.shown - a.shown || (a.id < b.id ? -1 : 1));
}
