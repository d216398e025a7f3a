/**
 * `npx tsx eval/run.ts` (`npm run eval`): how well the bot answers real text nobody here
 * wrote. Loads the KB, diagnoses every case of eval/cases/*.yaml and prints, per half and
 * per kind, how often the expected entry is first (top-1) or among the first three
 * (top-3), how often the symptom family is recognised, how often the answer names the
 * cause's words, and which off-topic texts got an answer.
 *
 *   --half dev|heldout   score one half only
 *   --json               print one JSON object with every figure instead of tables
 *   --fail               also list every failing case: id, kind, expected, top-3 got, symptom
 *   --kb DIR             read the KB from DIR instead of kb/ (a snapshot, for example)
 *
 * Exit 0 whatever the figures (it measures, it does not gate), 2 when the KB or the case
 * files have errors, 1 when a held-out case's source is linked or quoted by a KB entry
 * (the held-out half must stay unused).
 */
import { loadKbFromDir } from '../kb/load-kb';
import { diagnoseText } from '../matchers/diagnose';
import { formatCaseProblem, HALVES, KINDS, loadCases, documentKey, type Half } from './cases';
import { kbUrls, scoreCase, type CaseResult } from './score';

interface Args {
  half?: Half;
  json: boolean;
  fail: boolean;
  kb?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { json: false, fail: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--json') a.json = true;
    else if (x === '--fail') a.fail = true;
    else if (x === '--half') {
      const h = argv[++i];
      if (h !== 'dev' && h !== 'heldout') usage(`--half takes dev or heldout, not ${h ?? 'nothing'}`);
      a.half = h as Half;
    } else if (x?.startsWith('--half=')) {
      const h = x.slice('--half='.length);
      if (h !== 'dev' && h !== 'heldout') usage(`--half takes dev or heldout, not ${h}`);
      a.half = h as Half;
    } else if (x === '--kb') {
      const dir = argv[++i];
      if (!dir) usage('--kb takes a folder');
      a.kb = dir;
    } else if (x === '--') continue;
    else usage(`unknown option ${x}`);
  }
  return a;
}

function usage(message: string): never {
  process.stderr.write(`eval: ${message}\nusage: npx tsx eval/run.ts [--half dev|heldout] [--json] [--fail] [--kb DIR]\n`);
  process.exit(2);
}

interface Tally {
  n: number;
  top1: number;
  top3: number;
  familyN: number;
  family: number;
  wordsN: number;
  words: number;
  offTopicN: number;
  offTopicAnswered: number;
}

const emptyTally = (): Tally => ({ n: 0, top1: 0, top3: 0, familyN: 0, family: 0, wordsN: 0, words: 0, offTopicN: 0, offTopicAnswered: 0 });

function tally(results: readonly CaseResult[]): Tally {
  const t = emptyTally();
  for (const r of results) {
    t.n++;
    if (r.top1) t.top1++;
    if (r.top3) t.top3++;
    if (r.family !== null) {
      t.familyN++;
      if (r.family) t.family++;
    }
    if (r.words !== null) {
      t.wordsN++;
      if (r.words) t.words++;
    }
    if (r.answeredAboveLow !== null) {
      t.offTopicN++;
      if (r.answeredAboveLow) t.offTopicAnswered++;
    }
  }
  return t;
}

function pct(k: number, n: number): string {
  if (n === 0) return '—';
  return `${k}/${n} ${Math.round((100 * k) / n)}%`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function halfTable(results: readonly CaseResult[]): string {
  const rows: string[][] = [['kind', 'cases', 'top-1', 'top-3', 'family', 'words', 'off-topic answered']];
  for (const kind of KINDS) {
    const t = tally(results.filter((r) => r.kind === kind));
    if (t.n === 0) continue;
    rows.push([kind, String(t.n), pct(t.top1, t.n), pct(t.top3, t.n), pct(t.family, t.familyN), pct(t.words, t.wordsN), t.offTopicN ? `${t.offTopicAnswered}/${t.offTopicN}` : '—']);
  }
  const all = tally(results);
  const onTopic = tally(results.filter((r) => r.kind !== 'off-topic'));
  rows.push(['on-topic', String(onTopic.n), pct(onTopic.top1, onTopic.n), pct(onTopic.top3, onTopic.n), pct(onTopic.family, onTopic.familyN), pct(onTopic.words, onTopic.wordsN), '—']);
  rows.push(['all', String(all.n), pct(all.top1, all.n), pct(all.top3, all.n), pct(all.family, all.familyN), pct(all.words, all.wordsN), all.offTopicN ? `${all.offTopicAnswered}/${all.offTopicN}` : '—']);
  return table(rows);
}

function describeExpected(r: CaseResult): string {
  const e = r.expected;
  if (r.kind === 'off-topic') return 'no answer (off-topic)';
  return `${e.entry ?? '(no entry)'}${e.family ? ` / family ${e.family}` : ''}`;
}

function describeGot(r: CaseResult): string {
  const top = r.got.top3.map((m) => `${m.id} (${m.confidence}, ${m.basis})`).join(', ') || 'no match';
  return `${top}; symptom ${r.got.symptom ?? 'none'}${r.got.offTopic ? '; offTopic' : ''}`;
}

function summary(results: readonly CaseResult[]): Record<string, unknown> {
  const byKind: Record<string, Tally> = {};
  for (const kind of KINDS) {
    const t = tally(results.filter((r) => r.kind === kind));
    if (t.n) byKind[kind] = t;
  }
  return { all: tally(results), onTopic: tally(results.filter((r) => r.kind !== 'off-topic')), byKind };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const loaded = args.kb ? loadKbFromDir(args.kb, args.kb) : loadKbFromDir();
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    process.stderr.write(`eval: the KB has ${errors.length} error(s); run npm run kb:check and fix them first:\n`);
    for (const p of errors.slice(0, 20)) process.stderr.write(`  ${p.file}:${p.line}:${p.column} ${p.code} ${p.message}\n`);
    process.exit(2);
  }
  const { cases, problems } = loadCases();
  if (problems.length) {
    process.stderr.write(`eval: the case files have ${problems.length} problem(s):\n`);
    for (const p of problems.slice(0, 30)) process.stderr.write(`  ${formatCaseProblem(p)}\n`);
    process.exit(2);
  }

  const linked = kbUrls(loaded);
  const contaminated = cases
    .filter((c) => c.half === 'heldout')
    .flatMap((c) => {
      const entries = linked.get(documentKey(c.source));
      return entries ? [{ id: c.id, source: c.source, entries }] : [];
    });

  const selected = args.half ? cases.filter((c) => c.half === args.half) : cases;
  const results: CaseResult[] = [];
  for (const c of selected) {
    const started = performance.now();
    const d = diagnoseText(c.text, loaded.kb);
    results.push(scoreCase(c, d, performance.now() - started));
  }
  const halves = (args.half ? [args.half] : [...HALVES]).filter((h) => results.some((r) => r.half === h));
  const failing = results.filter((r) => (r.kind === 'off-topic' ? r.answeredAboveLow : !r.top1));
  const offTopicAnswered = results.filter((r) => r.answeredAboveLow);

  if (args.json) {
    const out = {
      kb: { entries: loaded.stats.entries, signatures: loaded.stats.signatures },
      cases: results.length,
      halves: Object.fromEntries(halves.map((h) => [h, summary(results.filter((r) => r.half === h))])),
      offTopicAnswered: offTopicAnswered.map((r) => ({ id: r.id, got: r.got })),
      contamination: contaminated,
      ...(args.fail ? { failing: results.filter((r) => failing.includes(r)) } : {}),
      totalMs: Math.round(results.reduce((s, r) => s + r.ms, 0)),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    lines.push(`eval: ${results.length} cases, KB of ${loaded.stats.entries} entries (${Math.round(results.reduce((s, r) => s + r.ms, 0))} ms to diagnose)`);
    lines.push('top-1: expected entry first (no-entry cases: family named, nothing above low); top-3: among the first three;');
    lines.push('family: symptom family recognised; words: the answer names the cause; off-topic answered: target 0.');
    for (const h of halves) {
      lines.push('', h === 'dev' ? 'dev (engineers may read these)' : 'held-out (never used to write entries)', halfTable(results.filter((r) => r.half === h)));
    }
    if (offTopicAnswered.length) {
      lines.push('', `off-topic texts answered above low (${offTopicAnswered.length}):`);
      for (const r of offTopicAnswered) lines.push(`  ${r.id}  ${describeGot(r)}`);
    }
    if (args.fail) {
      lines.push('', `failing cases (${failing.length}): top-1 missed, or an off-topic text answered`);
      for (const r of failing) {
        lines.push(`  ${r.id} [${r.kind}] expected ${describeExpected(r)}`);
        lines.push(`      got ${describeGot(r)}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  if (contaminated.length) {
    process.stderr.write(`\neval: ${contaminated.length} held-out case(s) come from a source the KB links or quotes; the held-out half must stay unused:\n`);
    for (const c of contaminated) process.stderr.write(`  ${c.id}  ${c.source}  (linked by ${c.entries.join(', ')})\n`);
    process.stderr.write('Move the case to eval/cases/dev.yaml (as dev-NNN), or remove the link from the entry.\n');
    process.exit(1);
  }
}

main();
