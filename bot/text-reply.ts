import type { LoadedEntry } from '../kb/load-kb';
import { sectionText } from '../kb/entry-body';
import { fillTemplate } from '../matchers/template';
import type { DecodedCode, Diagnosis } from '../matchers/types';
import { codeLabel } from './code-label';
import { COMMANDS } from './command-cards';
import { clip, inert } from './escape';
import { markdownPlain } from './rich-text';
import { renderTextReport } from './render-text';

/**
 * Plain-text twins of the cards, for channels that render no cards. Sent with
 * `textFormat: plain`; user text in them is made inert (escape.ts) and the whole reply is
 * kept within a size that every channel accepts.
 */
export const MAX_TEXT_REPLY = 20_000;

export function diagnosisText(d: Diagnosis): string {
  const safe: Diagnosis = {
    ...d,
    file: d.file === null ? null : inert(clip(d.file, 200)),
    matches: d.matches.map((m) => ({
      ...m,
      cause: inert(m.cause),
      resolution: m.resolution.map(inert),
      evidence: m.evidence.slice(0, 5).map((e) => ({ ...e, text: inert(clip(e.text, 240)) })),
    })),
    facts: {
      http: d.facts.http.map(inert),
      files: d.facts.files.map((f) => inert(clip(f, 120))),
      events: d.facts.events.map(inert),
      packages: d.facts.packages.map(inert),
      logs: d.facts.logs.map(inert),
    },
    codes: d.codes.slice(0, 10),
    warnings: d.warnings.map(inert),
  };
  return clip(renderTextReport(safe), MAX_TEXT_REPLY);
}

export function helpText(pageUrl: string | null = 'http://localhost:3978/'): string {
  return [
    'Paste the log lines around a Configuration Manager content-download failure (CAS.log, ContentTransferManager.log, DataTransferService.log, SMSTS.log, execmgr.log, the DP\'s IIS log, bitsadmin output, BITS events; on the site server DistMgr.log, PkgXferMgr.log, SMSPXE.log, PatchDownloader.log) and I name the cause and the steps that fix it.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.title}: ${c.description}`),
    '',
    'To add a KB entry: write kb/entries/<id>.md as described in docs/kb-format.md, check it with npm run kb:check, try it on the local web page' + (pageUrl ? ` (${pageUrl})` : '') + ', then open a pull request.',
  ].join('\n');
}

export function codeText(input: string, decoded: readonly DecodedCode[]): string {
  if (decoded.length === 0) return `No error code found in "${inert(clip(input, 200))}". Write it as 0x80190194, 80190194 or -2145844844.`;
  return decoded.slice(0, 10).map((c) => [
    `${c.code} (${c.decimal}) ${codeLabel(c)} [${c.facility}]`,
    ...c.notes.map((n) => `  - ${n}`),
  ].join('\n')).join('\n\n');
}

export function searchText(query: string, hits: readonly LoadedEntry[]): string {
  if (hits.length === 0) return `No KB entry mentions "${inert(clip(query, 200))}".`;
  return [`KB entries for "${inert(clip(query, 200))}":`, ...hits.map((e) => `  ${e.front.id}: ${e.front.title}`), '', 'Type kb <id> to see one.'].join('\n');
}

export function entryText(entry: LoadedEntry): string {
  const fill = (s: string): string => markdownPlain(fillTemplate(s, {}));
  return clip([
    `${entry.front.title} [${entry.front.id}]`,
    '',
    `Cause: ${fill(sectionText(entry.body, 'cause'))}`,
    '',
    'Resolution:',
    ...entry.body.steps.map((s, k) => `  ${k + 1}. ${fill(s)}`),
    '',
    ...entry.front.links.map((l) => `${l.title}: ${l.url}`),
  ].join('\n'), MAX_TEXT_REPLY);
}
