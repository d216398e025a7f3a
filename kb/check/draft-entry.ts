import YAML from 'yaml';
import { formatCode } from '../../matchers/facts/codes';
import { extractFacts } from '../../matchers/facts/extract-facts';
import { createLogParser } from '../../matchers/parse/log-parser';
import { COMMON_CODES } from '../../matchers/signatures/definition';
import { splitLines } from '../../matchers/split-lines';
import type { LogRecord, RecordFacts } from '../../matchers/types';
import { linePattern, type LinePattern } from './line-pattern';

/**
 * `npm run kb:new`: a first draft of a KB entry, from a paste that nothing matched or from
 * nothing (the annotated template). The draft proposes signatures from the paste's facts
 * (failure codes, IIS statuses with substatus, error events, rare error lines turned into
 * patterns), uses the paste around the errors as the first `match` example, and leaves
 * `TODO` wherever a person has to write; kb:check (KB019) refuses an entry that still has one.
 */
export interface DraftInput {
  /** The paste; undefined gives the annotated template. */
  text?: string;
  /** File name of the paste, so the parser can tell which log it is. */
  fileName?: string;
  id?: string;
  /** Healthy and other products' logs: a proposed line pattern that matches one of their lines is dropped. */
  avoid?: readonly string[];
}

export interface Proposal {
  name: string;
  /** The condition as YAML, one line (`code: [0x80091007]`). */
  condition: string;
  scope?: 'line';
  /** Why it is proposed, written as a comment above it. */
  comment: string;
}

export interface Draft {
  markdown: string;
  proposals: Proposal[];
  /** Lines of the paste used as the match example (1-based, inclusive). */
  example?: { from: number; to: number };
  /** Things the author should know (printed on stderr by the command). */
  notes: string[];
}

/** Lines of the paste kept as the match example. */
export const EXAMPLE_LINES = 40;
const MAX_CODES = 4;
const MAX_LINES = 3;
const MAX_HTTP = 2;
const MAX_EVENTS = 2;
/** The Windows-authentication handshake logs these on every healthy distribution point. */
const HANDSHAKE = new Set(['401.1', '401.2']);
const PLACEHOLDER_ID = 'todo-new-entry';

interface Parsed {
  record: LogRecord;
  facts: RecordFacts;
}

export function draftEntry(input: DraftInput): Draft {
  if (input.text === undefined || input.text.trim().length === 0) return template(input.id);
  const lines = [...splitLines(input.text)];
  const all = parse(input.text, input.fileName);
  const notes: string[] = [];
  const interesting = all.filter(isInteresting).map((p) => p.record.line);
  if (interesting.length === 0) notes.push('nothing in the paste looks like an error (no failure code, HTTP error, error line or error event): the draft has no signatures to propose');
  const { from, to } = window(lines.length, interesting);
  if (lines.length > EXAMPLE_LINES) notes.push(`the paste has ${lines.length} lines; lines ${from}-${to} are used as the match example`);
  const exampleText = lines.slice(from - 1, to).map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '') + '\n';
  const parsed = parse(exampleText, input.fileName);
  const proposals = propose(parsed, input.avoid ?? [], notes);
  const markdown = render({
    id: input.id,
    signatures: proposals.length > 0 ? signaturesYaml(proposals) : NO_SIGNATURES,
    example: exampleYaml(exampleText),
    hasCode: proposals.some((p) => p.condition.startsWith('code:')),
    firstLine: parsed.find(isInteresting)?.record.text,
  });
  return { markdown, proposals, example: { from, to }, notes };
}

function parse(text: string, fileName: string | undefined): Parsed[] {
  const parser = createLogParser({ fileName });
  const records: LogRecord[] = [];
  for (const line of splitLines(text)) records.push(...parser.push(line));
  records.push(...parser.end());
  return records.map((record) => ({ record, facts: extractFacts(record) }));
}

function failureCodes(p: Parsed): number[] {
  return p.facts.codes.map((c) => c.value).filter((v) => !COMMON_CODES.has(v));
}

function isInteresting(p: Parsed): boolean {
  return p.record.severity === 'error' || failureCodes(p).length > 0 || /fail|error/i.test(p.record.text)
    || p.facts.http.some((h) => h.status >= 400 && !HANDSHAKE.has(`${h.status}.${h.substatus ?? ''}`));
}

/** The EXAMPLE_LINES-line window that holds the most interesting records (the earliest of equals). */
function window(total: number, interesting: readonly number[]): { from: number; to: number } {
  if (total <= EXAMPLE_LINES || interesting.length === 0) return { from: 1, to: Math.min(total, EXAMPLE_LINES) };
  let best = { from: 1, count: -1 };
  for (const line of interesting) {
    const from = Math.max(1, Math.min(line - 5, total - EXAMPLE_LINES + 1));
    const count = interesting.filter((l) => l >= from && l < from + EXAMPLE_LINES).length;
    if (count > best.count) best = { from, count };
  }
  return { from: best.from, to: best.from + EXAMPLE_LINES - 1 };
}

function propose(parsed: readonly Parsed[], avoid: readonly string[], notes: string[]): Proposal[] {
  const out: Proposal[] = [];
  const codes: number[] = [];
  for (const p of parsed) for (const v of failureCodes(p)) if (!codes.includes(v) && codes.length < MAX_CODES) codes.push(v);
  if (codes.length > 0) {
    const list = codes.map(formatCode);
    out.push({
      name: codes.length === 1 ? `code-${list[0]?.toLowerCase()}` : 'error-codes',
      condition: `code: [${list.join(', ')}]`,
      comment: `failure codes of the paste (common ones such as 0x80004005 left out)${codes.length > 1 ? '; the list means "any of these": keep the ones this cause logs' : ''}`,
    });
  }

  const statuses = new Map<string, { status: number; substatus: number; line: number }>();
  for (const p of parsed) {
    for (const h of p.facts.http) {
      const key = `${h.status}.${h.substatus ?? ''}`;
      if (h.status < 400 || h.substatus === undefined || HANDSHAKE.has(key) || statuses.has(key) || statuses.size >= MAX_HTTP) continue;
      statuses.set(key, { status: h.status, substatus: h.substatus, line: p.record.line });
    }
  }
  for (const [key, h] of statuses) {
    out.push({
      name: `http-${h.status}-${h.substatus}`,
      condition: `http: { status: ${h.status}, substatus: ${h.substatus} }`,
      comment: `HTTP ${key} on line ${h.line}`,
    });
  }

  const events = new Map<string, { source: string; id: number; line: number }>();
  for (const p of parsed) {
    if (p.record.format !== 'eventlog' || (p.record.severity !== 'error' && p.record.severity !== 'warning')) continue;
    for (const e of p.facts.events) {
      if (e.source === undefined || e.id === undefined || events.size >= MAX_EVENTS) continue;
      events.set(`${e.source}/${e.id}`, { source: e.source, id: e.id, line: p.record.line });
    }
  }
  for (const e of events.values()) {
    out.push({
      name: `event-${slug(e.source.replace(/^Microsoft-Windows-/i, ''))}-${e.id}`,
      condition: `event: { source: ${JSON.stringify(e.source)}, id: ${e.id} }`,
      comment: `${e.source} event ${e.id} on line ${e.line}`,
    });
  }

  const candidates: { p: Parsed; pattern: LinePattern; score: number }[] = [];
  const seen = new Set<string>();
  const avoidLines = avoid.flatMap((t) => [...splitLines(t)]);
  let avoided = 0;
  for (const p of parsed) {
    if (p.record.format === 'iis' || p.record.format === 'eventlog') continue;
    const failing = p.record.severity === 'error' || /fail|error/i.test(p.record.text);
    if (!failing) continue;
    const pattern = linePattern(p.record.text);
    if (!pattern || seen.has(pattern.value)) continue;
    seen.add(pattern.value);
    if (avoidLines.some((l) => matches(pattern, l))) {
      avoided++;
      continue;
    }
    const score = (p.record.severity === 'error' ? 2 : 0) + (failureCodes(p).length > 0 ? 2 : 0) + (/fail|error/i.test(p.record.text) ? 1 : 0);
    candidates.push({ p, pattern, score });
  }
  if (avoided > 0) notes.push(`${avoided} error line(s) were not proposed because the same pattern is in a healthy or unrelated baseline log`);
  const chosen = pickVaried(candidates).sort((a, b) => a.p.record.line - b.p.record.line);
  const names = new Set(out.map((o) => o.name));
  for (const c of chosen) {
    let name = slug(c.p.record.text.replace(/0x[0-9a-f]+|\d+/gi, ' ').split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).slice(0, 5).join(' ')) || 'error-line';
    if (names.has(name)) name = `${name}-${c.p.record.line}`;
    names.add(name);
    out.push({
      name,
      condition: c.pattern.kind === 'text' ? `text: ${JSON.stringify(c.pattern.value)}` : `regex: ${yamlSingle(c.pattern.value)}`,
      comment: `line ${c.p.record.line}: ${clip(c.p.record.text, 100)}`,
    });
  }
  return out;
}

/**
 * The best MAX_LINES candidates, preferring variety: a line that starts like one already
 * chosen ("Failed to instantiate …" four times) or adds no new code counts for less.
 */
function pickVaried<T extends { p: Parsed; score: number }>(candidates: readonly T[]): T[] {
  const opening = (c: T): string => c.p.record.text.toLowerCase().split(/\s+/).slice(0, 3).join(' ');
  const chosen: T[] = [];
  const rest = [...candidates];
  while (chosen.length < MAX_LINES && rest.length > 0) {
    const adjusted = (c: T): number => {
      const codes = failureCodes(c.p);
      const covered = codes.length > 0 && codes.every((v) => chosen.some((o) => failureCodes(o.p).includes(v)));
      return c.score - (chosen.some((o) => opening(o) === opening(c)) ? 2 : 0) - (covered ? 1 : 0);
    };
    let best = 0;
    for (let i = 1; i < rest.length; i++) {
      const a = rest[i] as T;
      const b = rest[best] as T;
      if (adjusted(a) > adjusted(b) || (adjusted(a) === adjusted(b) && a.p.record.line < b.p.record.line)) best = i;
    }
    chosen.push(...rest.splice(best, 1));
  }
  return chosen;
}

function matches(pattern: LinePattern, line: string): boolean {
  if (pattern.kind === 'text') return line.toLowerCase().includes(pattern.value.toLowerCase());
  return new RegExp(pattern.value, 'i').test(line);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function yamlSingle(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function signaturesYaml(proposals: readonly Proposal[]): string {
  return proposals.map((p) => [
    `  # Proposed from the paste: ${p.comment.replace(/\r?\n/g, ' ')}`,
    `  - name: ${p.name}`,
    '    confidence: medium',
    '    all:',
    `      - ${p.condition}`,
  ].join('\n')).join('\n');
}

const NO_SIGNATURES = [
  '  # Nothing in the paste looked like an error. Describe what only this problem logs:',
  '  - name: describe-what-it-sees',
  '    confidence: medium',
  '    all:',
  '      - text: "TODO: a message that only this problem logs"',
].join('\n');

/** The example as a YAML block scalar, or a quoted string when a block cannot hold the text exactly. */
function exampleYaml(text: string): string {
  const block = `    - text: |\n${text.replace(/\n$/, '').split('\n').map((l) => (l.length > 0 ? `        ${l}` : '')).join('\n')}\n`;
  try {
    const back = YAML.parse(`examples:\n  match:\n${block}`) as { examples?: { match?: { text?: unknown }[] } };
    if (back.examples?.match?.[0]?.text === text) return block;
  } catch {
    // fall through to the quoted form
  }
  return `    - text: ${JSON.stringify(text)}\n`;
}

interface RenderInput {
  id: string | undefined;
  signatures: string;
  example: string;
  hasCode: boolean;
  firstLine: string | undefined;
}

function render(r: RenderInput): string {
  const idLine = r.id !== undefined ? `id: ${r.id}` : `id: ${PLACEHOLDER_ID}  # TODO: kebab-case words that name the cause; the file is kb/entries/<id>.md`;
  const symptomHint = r.firstLine !== undefined ? ` such as \`${clip(r.firstLine.replace(/`/g, "'"), 120)}\`` : '';
  return `---
# Draft from npm run kb:new. Replace every TODO, delete what does not apply, then run
# npm run kb:check. The format is in docs/kb-format.md; CONTRIBUTING.md has a worked example.
${idLine}
title: "TODO: one line that names the cause, as a support engineer would say it"
# Products: SMS 2003, ConfigMgr 2007, ConfigMgr 2012, ConfigMgr current branch, WSUS, MDT
products: [ConfigMgr current branch]
tags: []  # extra words people search for: the component, the symptom, the error name
signatures:
  # Keep the signatures that are specific to this cause and delete the others. To prove the
  # cause, put several conditions in one signature's "all" list. Set confidence: high only
  # when the signature on its own proves the cause (kb:check refuses a weak one, KB010).
${r.signatures}
links:
  - title: "TODO: the title of the article or page this entry rests on"
    url: https://learn.microsoft.com/TODO
examples:
  match:
    # The paste (redact host, user and domain names and IP addresses before you commit it).
    # kb:check proves it makes this entry the top match; add other ways the problem is logged.
${r.example}  no_match:
    # Lines that look alike but have another cause, or a healthy log: the entry must not fire on them with high confidence.
    - "TODO: a similar log line with another cause"
---
## Symptoms
TODO: What the engineer sees: the message in the console or on the device, where the download stops, and the log lines that show it${symptomHint}.

## Cause
TODO: Why it happens, in two or three sentences.${r.hasCode ? ' Values the signatures extract can be quoted, with a fallback: `{{code|the error code}}`.' : ''}

## Resolution
1. TODO: The first thing to do: one action per step, naming the exact place (console node, file, registry key).
2. TODO: How to check that it worked (the log line that shows success).

## More information
TODO: Optional: background, related causes, what not to do. Delete this section if there is nothing to add.
`;
}

function template(id: string | undefined): Draft {
  const markdown = render({
    id,
    signatures: [
      '  # Each signature is one way the problem shows in logs. Conditions (docs/kb-format.md):',
      '  #   code: 0x80091007                        an error code in any spelling',
      '  #   http: { status: 404, substatus: 7 }     an HTTP status (IIS log, BITS, WinHTTP)',
      '  #   extension: { denied_by_default: true }  a file extension (or a list: [.config, .ldf])',
      '  #   path: { segment: bin }                  a folder in a URL or path',
      '  #   event: { source: BITS, id: 16392 }      a Windows event',
      '  #   text: "Hash could not be matched"       literal text, any case',
      "  #   regex: 'Failed to download \\S+ to'      a pattern; single quotes, checked for backtracking",
      '  - name: describe-what-it-sees  # kebab-case, shown next to the evidence',
      '    confidence: medium           # high only when this signature alone proves the cause',
      '    all:                         # every condition must hold (also: any, not)',
      '      - text: "TODO: a message that only this problem logs"',
    ].join('\n'),
    example: '    - text: |\n        TODO: paste the (redacted) log lines that show the problem\n',
    hasCode: false,
    firstLine: undefined,
  });
  return { markdown, proposals: [], notes: [] };
}
