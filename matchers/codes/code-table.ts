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
