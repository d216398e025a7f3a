import { parseCodeSpelling } from '../../matchers/facts/codes';
import type { CodeTable } from '../../matchers/codes/code-table';
import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * KB013: every code a signature names should be explained by the code table, so that the
 * answer that quotes it can also say what it means. A missing row is a warning: the entry
 * still works, but the reader sees a bare number (add the row to kb/codes/*.tsv with its source).
 */
export function checkSignatureCodes(entries: readonly LoadedEntry[], table: CodeTable): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    entry.front.signatures.forEach((sig, i) => {
      for (const list of ['all', 'any', 'not'] as const) {
        (sig[list] ?? []).forEach((c, j) => {
          if (!('code' in c)) return;
          const values = Array.isArray(c.code) ? c.code : [c.code];
          values.forEach((raw, k) => {
            const value = typeof raw === 'number' ? raw >>> 0 : parseCodeSpelling(String(raw));
            if (value === undefined) return; // KB004 already says it is not a code.
            if (table.rows.has(value >>> 0)) return;
            const hex = '0x' + value.toString(16).toUpperCase().padStart(8, '0');
            const at = entry.locate(Array.isArray(c.code) ? ['signatures', i, list, j, 'code', k] : ['signatures', i, list, j, 'code']);
            problems.push({
              file: entry.file, ...at, code: 'KB013', severity: 'warning',
              message: `code ${hex} has no row in the code table: add "${hex}<TAB>NAME<TAB>message<TAB>source" to the right kb/codes/*.tsv file, or check the code for a typo`,
            });
          });
        });
      }
    });
  }
  return problems;
}
