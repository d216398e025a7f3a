import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * KB019: `npm run kb:new` drafts an entry with `TODO` where the author has to write
 * something. A draft that still says TODO would answer users with it, so it is an error.
 */
const TODO = /\bTODO\b/;

export function checkLeftovers(entries: readonly LoadedEntry[]): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    entry.text.split(/\r\n|\n|\r/).forEach((text, i) => {
      const at = text.search(TODO);
      if (at < 0) return;
      problems.push({
        file: entry.file, line: i + 1, column: at + 1, code: 'KB019', severity: 'error',
        message: `"TODO" left from the kb:new draft: ${hint(text)}`,
      });
    });
  }
  return problems;
}

function hint(line: string): string {
  const t = line.trim();
  if (/^id:/.test(t)) return 'write the id (kebab-case, equal to the file name)';
  if (/^title:/.test(t)) return 'write a one-line title that names the cause';
  if (/url:/.test(t)) return 'link the article or page this entry rests on';
  if (/^-?\s*title:/.test(t)) return 'name the linked article';
  return 'write this part, or delete the line';
}
