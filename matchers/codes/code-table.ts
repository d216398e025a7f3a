/**
 * The error-code table is data in `kb/codes/*.tsv`; this module turns the text of those
 * files into lookups, reporting every malformed row with its file and line.
 */

export interface CodeRow {
  value: number;
  name: string;
  message: string;
  source: string;
  /** The source is a community-maintained list, not Microsoft documentation or an SDK header (see isCommunitySource). */
  community: boolean;
  file: string;
  line: number;
}

/**
 * A row whose source column starts with "community list" comes from a community-maintained list,
 * not from Microsoft: such a row must also name the list's https address, it is shown with a
 * warning, and any other row for the same code is preferred to it.
 */
const COMMUNITY_SOURCE = /^community list\b/i;

export function isCommunitySource(source: string): boolean {
  return COMMUNITY_SOURCE.test(source);
}

export interface CodeTable {
  /**
   * Rows per code value: rows from Microsoft pages and SDK headers first, in file-name order, then
   * rows from community lists. The first row gives the primary name, message and source.
   */
  rows: ReadonlyMap<number, readonly CodeRow[]>;
  facilities: ReadonlyMap<number, string>;
  notes: ReadonlyMap<number, readonly string[]>;
  httpReasons: ReadonlyMap<number, string>;
  size: number;
}

export interface TableProblem {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface TableFile {
  name: string;
  text: string;
}

interface ParsedRows {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

function parseTsv(file: TableFile, expected: string[], problems: TableProblem[]): ParsedRows {
  const out: ParsedRows = { header: [], rows: [] };
  const lines = file.text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim().length === 0 || raw.startsWith('#')) return;
    const cells = raw.split('\t').map((c) => c.trim());
    if (out.header.length === 0) {
      out.header = cells;
      if (cells.join('\t') !== expected.join('\t')) {
        problems.push({ file: file.name, line, column: 1, code: 'KB301', message: `header must be "${expected.join('<TAB>')}", found "${raw}"` });
      }
      return;
    }
    if (cells.length !== expected.length) {
      problems.push({ file: file.name, line, column: 1, code: 'KB302', message: `expected ${expected.length} tab-separated columns, found ${cells.length}; check for spaces used instead of tabs` });
      return;
    }
    out.rows.push({ line, cells });
  });
  return out;
}

const CODE_PATTERN = /^0x[0-9A-F]{8}$/;

export function parseCodeTable(files: readonly TableFile[]): { table: CodeTable; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const rows = new Map<number, CodeRow[]>();
  const facilities = new Map<number, string>();
  const notes = new Map<number, string[]>();
  const httpReasons = new Map<number, string>();
  let size = 0;
  const sorted = [...files].sort((a, b) => baseName(a.name).localeCompare(baseName(b.name)));
  for (const file of sorted) {
    const base = baseName(file.name);
    if (base === 'facilities.tsv') {
      for (const r of parseTsv(file, ['facility', 'name', 'source'], problems).rows) {
        const [num, name, source] = r.cells as [string, string, string];
        const n = /^\d+$/.test(num) ? Number(num) : /^0x[0-9a-f]+$/i.test(num) ? parseInt(num, 16) : NaN;
        if (Number.isNaN(n)) problems.push({ file: file.name, line: r.line, column: 1, code: 'KB303', message: `facility "${num}" is not a number` });
        else if (source.length === 0) problems.push({ file: file.name, line: r.line, column: 3, code: 'KB304', message: 'row has no source: name the header or the https page it comes from' });
        else facilities.set(n, name);
      }
    } else if (base === 'notes.tsv') {
      for (const r of parseTsv(file, ['code', 'note', 'source'], problems).rows) {
        const [code, note, source] = r.cells as [string, string, string];
        if (!CODE_PATTERN.test(code)) { problems.push({ file: file.name, line: r.line, column: 1, code: 'KB303', message: `code "${code}" must be 0x and eight upper-case hex digits` }); continue; }
        if (source.length === 0) { problems.push({ file: file.name, line: r.line, column: 3, code: 'KB304', message: 'row has no source: name the header or the https page it comes from' }); continue; }
        const v = parseInt(code.slice(2), 16);
        notes.set(v, [...(notes.get(v) ?? []), note]);
      }
    } else if (base === 'http-status.tsv') {
      for (const r of parseTsv(file, ['status', 'reason', 'source'], problems).rows) {
        const [status, reason] = r.cells as [string, string, string];
        if (/^\d{3}$/.test(status)) httpReasons.set(Number(status), reason);
        else problems.push({ file: file.name, line: r.line, column: 1, code: 'KB303', message: `status "${status}" is not a three-digit HTTP status` });
      }
    } else if (base.endsWith('.tsv')) {
      const seenHere = new Set<number>();
      for (const r of parseTsv(file, ['code', 'name', 'message', 'source'], problems).rows) {
        const [code, name, message, source] = r.cells as [string, string, string, string];
        if (!CODE_PATTERN.test(code)) { problems.push({ file: file.name, line: r.line, column: 1, code: 'KB303', message: `code "${code}" must be 0x and eight upper-case hex digits` }); continue; }
        if (source.length === 0) { problems.push({ file: file.name, line: r.line, column: 4, code: 'KB304', message: `${code} has no source: name the header or the https page it comes from` }); continue; }
        const community = isCommunitySource(source);
        if (community && !/https:\/\/\S/.test(source)) { problems.push({ file: file.name, line: r.line, column: 4, code: 'KB304', message: `${code} comes from a community list: name the list and its https address in the source column` }); continue; }
        const value = parseInt(code.slice(2), 16);
        if (seenHere.has(value)) { problems.push({ file: file.name, line: r.line, column: 1, code: 'KB305', message: `${code} appears twice in this file; keep one row` }); continue; }
        seenHere.add(value);
        rows.set(value, [...(rows.get(value) ?? []), { value, name, message, source, community, file: file.name, line: r.line }]);
        size++;
      }
    }
  }
  // Microsoft and SDK rows before community rows (a stable sort keeps the file-name order within each group).
  for (const list of rows.values()) if (list.some((r) => r.community)) list.sort((a, b) => Number(a.community) - Number(b.community));
  return { table: { rows, facilities, notes, httpReasons, size }, problems };
}

function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

/**
 * The code table of a KB that passed its check (no row problems, so no row is skipped and no
 * code appears twice in a file), read on demand: a code's rows are found in the files' text
 * when it is first looked up, and the whole table is parsed only when something lists it.
 * A start that decodes one code reads one line per file instead of 4,000 rows; the answers
 * are those of `parseCodeTable` on the same files. `size` is the row count the check found.
 */
export function checkedCodeTable(files: readonly TableFile[], size: number): CodeTable {
  const sorted = [...files].sort((a, b) => baseName(a.name).localeCompare(baseName(b.name)));
  const small = sorted.filter((f) => SMALL_FILES.has(baseName(f.name)));
  const rowFiles = sorted.filter((f) => !SMALL_FILES.has(baseName(f.name)) && baseName(f.name).endsWith('.tsv'));
  // Facilities, notes and HTTP reasons are a few dozen rows: parsed at once, by the same parser.
  const { table: smallTable } = parseCodeTable(small);
  let full: CodeTable | undefined;
  const whole = (): ReadonlyMap<number, readonly CodeRow[]> => (full ??= parseCodeTable(files).table).rows;
  const found = new Map<number, readonly CodeRow[]>();
  const lookup = (value: number): readonly CodeRow[] => {
    const known = found.get(value);
    if (known !== undefined) return known;
    const code = formatTableCode(value);
    const list: CodeRow[] = [];
    if (code !== undefined) for (const f of rowFiles) {
      const row = findRow(f, code, value);
      if (row) list.push(row);
    }
    if (list.some((r) => r.community)) list.sort((a, b) => Number(a.community) - Number(b.community));
    if (found.size < 4096) found.set(value, list);
    return list;
  };
  const rows: ReadonlyMap<number, readonly CodeRow[]> = {
    get: (value) => {
      const list = lookup(value);
      return list.length > 0 ? list : undefined;
    },
    has: (value) => lookup(value).length > 0,
    get size() {
      return whole().size;
    },
    forEach: (fn, self) => whole().forEach(fn, self),
    entries: () => whole().entries(),
    keys: () => whole().keys(),
    values: () => whole().values(),
    [Symbol.iterator]: () => whole()[Symbol.iterator](),
  };
  return { rows, facilities: smallTable.facilities, notes: smallTable.notes, httpReasons: smallTable.httpReasons, size };
}

const SMALL_FILES = new Set(['facilities.tsv', 'notes.tsv', 'http-status.tsv']);

/** `0x` and eight upper-case hex digits, as rows spell codes (CODE_PATTERN); undefined for a value that is not 32 bits. */
function formatTableCode(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) return undefined;
  return '0x' + value.toString(16).toUpperCase().padStart(8, '0');
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** White space that `String#trim` removes, other than line breaks: what may surround a cell. */
const CELL_SPACE = /^[^\S\t\r\n]*$/;

/** The row of `code` in one file: a line whose first cell, trimmed, is the code. */
function findRow(file: TableFile, code: string, value: number): CodeRow | undefined {
  const text = file.text;
  for (let at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + 1)) {
    let start = at;
    while (start > 0 && !isLineBreak(text.charCodeAt(start - 1))) start--;
    if (!CELL_SPACE.test(text.slice(start, at))) continue;
    const tab = text.indexOf('\t', at);
    let end = at;
    while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
    if (tab < 0 || tab > end || !CELL_SPACE.test(text.slice(at + code.length, tab))) continue;
    const [, name, message, source] = text.slice(start, end).split('\t').map((c) => c.trim()) as [string, string, string, string];
    return { value, name, message, source, community: isCommunitySource(source), file: file.name, line: lineNumberAt(text, start) };
  }
  return undefined;
}

/**
 * The 1-based line of `index`, counting line breaks as parseTsv splits them (CRLF, LF or
 * CR). Counted with indexOf, which runs natively: a loop over the characters would run
 * cold in the interpreter, at start, over hundreds of kilobytes.
 */
function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) line++;
  // A CR ends a line too, unless an LF follows it (then the LF was counted).
  for (let at = text.indexOf('\r'); at >= 0 && at < index; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 10) line++;
  return line;
}
