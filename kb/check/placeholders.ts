import type { ConditionDef, SignatureDef } from '../../matchers/signatures/definition';
import { placeholders } from '../../matchers/template';
import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';
import { bodyLines } from './body-lines';

/**
 * KB014: a `{{name}}` in the body that nothing can fill shows up as `<name>` in the answer.
 * A placeholder needs a signature of the entry that extracts the value, or a fallback
 * (`{{name|the file}}`). Only the Cause and the Resolution are filled in answers.
 */

/** Values the diagnosis adds to every answer when the paste has them. */
export const ALWAYS_AVAILABLE: readonly string[] = ['package'];
const FILLED_SECTIONS = new Set(['cause', 'resolution']);

/** The values a condition can extract, as the signature engine fills them (matchers/signatures/compile.ts). */
export function conditionValues(c: ConditionDef): string[] {
  if ('code' in c) return ['code'];
  if ('http' in c) return ['status', 'substatus', 'file', 'url', 'extension'];
  if ('extension' in c) return ['extension', 'file', 'url'];
  if ('path' in c) return c.path.segment !== undefined || c.path.hidden_by_default === true ? ['segment', 'file', 'url'] : ['file', 'url'];
  if ('event' in c) return ['event_source', 'event_id'];
  if ('regex' in c) return [...c.regex.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string);
  return [];
}

export function signatureValues(sig: SignatureDef): Set<string> {
  return new Set([...(sig.all ?? []), ...(sig.any ?? [])].flatMap(conditionValues));
}

export function checkPlaceholders(entries: readonly LoadedEntry[]): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    const available = new Set(ALWAYS_AVAILABLE);
    for (const sig of entry.front.signatures) for (const v of signatureValues(sig)) available.add(v);
    for (const { line, text, section } of bodyLines(entry.text)) {
      let from = 0;
      for (const p of placeholders(text)) {
        const at = text.slice(from).search(new RegExp(`\\{\\{\\s*${p.name}\\b`));
        const column = from + Math.max(at, 0) + 1;
        from = column + 1;
        if (!FILLED_SECTIONS.has(section)) {
          problems.push({
            file: entry.file, line, column, code: 'KB014', severity: 'warning',
            message: `{{${p.name}}} is in the "${section || 'untitled'}" section, where placeholders are not filled (only Cause and Resolution are): write the text itself`,
          });
        } else if (!p.hasFallback && !available.has(p.name)) {
          const known = [...available].sort().join(', ');
          problems.push({
            file: entry.file, line, column, code: 'KB014', severity: 'warning',
            message: `no signature of this entry extracts {{${p.name}}}, so readers would see "<${p.name}>": add a fallback ({{${p.name}|the text to show}}) or use one of: ${known}`,
          });
        }
      }
    }
  }
  return problems;
}
