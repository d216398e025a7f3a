/**
 * `npm run kb:new -- --from paste.log [--id some-id] [--write]`: drafts a KB entry from a
 * paste that nothing matched (see kb/check/draft-entry.ts), or prints the annotated template
 * without --from. Prints the draft, or writes kb/entries/<id>.md with --write (never over an
 * existing file). Notes for the author go to stderr, so `> file` captures only the entry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeLogBytes } from '../matchers/decode-text';
import { diagnoseText } from '../matchers/diagnose';
import { draftEntry } from './check/draft-entry';
import { checkExamples } from './check/examples';
import { readBaselineTexts } from './check/run-check';
import { buildKb, KB_DIR, readKbSources } from './load-kb';
import { formatProblem } from './problem';

const USAGE = `usage: npm run kb:new -- [--from PASTE] [--id ID] [--write [--entries DIR]]
  Drafts a KB entry. Without --from, prints the annotated template.
  --from PASTE  a log or paste that no entry matched: proposes signatures from its codes, HTTP
                statuses, error events and error lines, and uses it as the first match example
  --id ID       the entry id (kebab-case; the file will be kb/entries/ID.md)
  --write       write kb/entries/ID.md instead of printing (needs --id; never overwrites)
  --entries DIR with --write: the folder to write into instead of kb/entries
`;

interface Args {
  from?: string;
  id?: string;
  write: boolean;
  entries?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { write: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--from') args.from = value();
    else if (a === '--id') args.id = value();
    else if (a === '--write') args.write = true;
    else if (a === '--entries') args.entries = value();
    else if (a === '--') continue;
    else throw new UsageError(`unknown argument ${a}`);
  }
  if (args.id !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(args.id)) {
    throw new UsageError(`--id "${args.id}" must be kebab-case: lower-case words and digits joined by hyphens`);
  }
  if (args.write && args.id === undefined) throw new UsageError('--write needs --id, which names the file kb/entries/<id>.md');
  return args;
}

function main(argv: readonly string[]): number {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kb:new: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let text: string | undefined;
  if (args.from !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(args.from);
    } catch (e) {
      process.stderr.write(`kb:new: cannot read ${args.from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
    const decoded = decodeLogBytes(bytes);
    if (!decoded.ok) {
      process.stderr.write(`kb:new: ${args.from}: ${decoded.reason}\n`);
      return 2;
    }
    text = decoded.text;
  }
  const draft = draftEntry({ text, fileName: args.from, id: args.id, avoid: text !== undefined ? readBaselineTexts() : [] });
  const notes = [...draft.notes];
  const sources = readKbSources(KB_DIR);
  const file = `kb/entries/${args.id ?? 'todo-new-entry'}.md`;

  if (text !== undefined) {
    const current = buildKb(sources);
    const now = diagnoseText(text, current.kb, { fileName: args.from });
    if (now.offTopic) {
      notes.push('the paste reads as another product\'s text (kb/domain.yaml): the bot answers it "I only know ConfigMgr content download problems" unless a signature holds with high confidence; if it is ConfigMgr content, add the term that shows it to the strong list of kb/domain.yaml');
    }
    const already = now.matches.filter((m) => m.basis === 'signature');
    for (const m of already) {
      notes.push(`the paste already matches ${m.id} (${m.confidence}): if that is the right answer, add the paste to its examples instead of writing a new entry`);
    }
    // The draft next to the current entries: it must load, and its example must rank it first.
    const withDraft = buildKb({ ...sources, entries: [...sources.entries.filter((e) => e.name !== file), { name: file, text: draft.markdown }] });
    for (const p of withDraft.problems) if (p.file === file) notes.push(`draft problem (please report it): ${formatProblem(p)}`);
    const own = withDraft.entries.filter((e) => e.file === file);
    for (const p of checkExamples({ ...withDraft, entries: own })) {
      if (p.code === 'KB007') notes.push(`the proposed signatures do not yet make this entry the top match of its own example: ${p.message}`);
    }
  }

  if (args.write && args.id !== undefined) {
    const path = join(args.entries ?? join(KB_DIR, 'entries'), `${args.id}.md`);
    try {
      writeFileSync(path, draft.markdown, { flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      process.stderr.write(code === 'EEXIST'
        ? `kb:new: ${path} already exists; choose another --id or edit that file\n`
        : `kb:new: cannot write ${path}: ${code ?? (e as Error).message}\n`);
      return 2;
    }
    notes.push(`wrote ${path}: fill in every TODO, then run npm run kb:check`);
  } else {
    process.stdout.write(draft.markdown);
  }
  for (const n of notes) process.stderr.write(`kb:new: ${n}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`kb:new: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
