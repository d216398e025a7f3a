import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * KB020: in YAML, ` #` outside quotes starts a comment, so an unquoted value that holds one
 * is silently cut there: `title: Distribution fails with "IDispatch error #3603" because ...`
 * is read as `Distribution fails with "IDispatch error`, and a `text:` condition cut the same
 * way matches far more than its author meant. The comments authors do write start with `# `
 * (a space); a `#` followed directly by a letter or digit on a line that holds a value is
 * almost always part of the value.
 */
export function checkCutValues(entries: readonly LoadedEntry[]): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    for (const hit of cutValues(entry.text)) {
      problems.push({
        file: entry.file, line: hit.line, column: hit.column, code: 'KB020', severity: 'error',
        message: `YAML reads "${hit.comment}" as a comment, so the value ends before it: put the value in quotes ('...' or "...") to keep the whole text`,
      });
    }
  }
  return problems;
}

export interface CutValue {
  line: number;
  column: number;
  /** The text YAML drops, from the `#` to the end of the line (at most 40 characters). */
  comment: string;
}

/** Unintended comments in a file's front-matter (between the first two `---` lines). */
export function cutValues(text: string): CutValue[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[0]?.trim() !== '---') return [];
  const out: CutValue[] = [];
  /** Indentation of the key whose block scalar (`|`, `>`) is being read: its lines are literal text. */
  let blockIndent: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '---') break;
    const indent = line.length - line.trimStart().length;
    if (blockIndent !== undefined) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    if (line.trimStart().startsWith('#')) continue;
    const at = commentStart(line);
    if (/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(at >= 0 ? line.slice(0, at) : line) || /^\s*-\s*[|>][-+0-9]*\s*$/.test(line)) {
      blockIndent = indent;
      continue;
    }
    if (at < 0) continue;
    const next = line[at + 1];
    const before = line.slice(0, at).trim();
    const hasValue = before.length > 0 && !/:$/.test(before) && before !== '-';
    if (next !== undefined && /[\p{L}\p{N}]/u.test(next) && hasValue) {
      out.push({ line: i + 1, column: at + 1, comment: line.slice(at, at + 40) });
    }
  }
  return out;
}

/** Index of the `#` that starts a YAML comment on this line, or -1; quotes that open a scalar are skipped. */
function commentStart(line: string): number {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = undefined;
      continue;
    }
    if (quote === "'") {
      if (ch === "'") {
        if (line[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if ((ch === '"' || ch === "'") && opensScalar(line, i)) {
      quote = ch;
      continue;
    }
    if (ch === '#' && i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

/** A quote opens a quoted scalar only where a value starts: after `key: `, `- `, `[`, `{` or `,`. */
function opensScalar(line: string, at: number): boolean {
  const before = line.slice(0, at).trimEnd();
  return before === '' || /[:\-[{,]$/.test(before);
}
