import YAML, { LineCounter } from 'yaml';
import { decodeLogBytes } from '../../matchers/decode-text';
import { diagnoseText } from '../../matchers/diagnose';
import type { LoadedEntry, LoadedKb } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * The goodlog check (as SigmaHQ runs its rules over logs of clean machines): every entry is
 * run over every baseline log — healthy logs of each format the parser knows, and failures
 * of other products that use the same words — and none may match with high confidence.
 * Deliberate exceptions are listed in the baseline folder's `allow-list.yaml` as
 * `{entry, file, reason}`; an exception that no longer fires is reported so the list stays short.
 *
 * KB015 baseline hit (error), KB016 allow-list item not needed (warning),
 * KB017 baseline folder or allow-list file unusable (error).
 */
export const ALLOW_LIST_FILE = 'allow-list.yaml';
/** Files of the baseline folder that are not logs. */
export const NOT_BASELINE_LOGS: ReadonlySet<string> = new Set(['README.md', ALLOW_LIST_FILE]);

export interface BaselineLog {
  /** File name inside the baseline folder, as the allow-list names it. */
  name: string;
  /** Path shown in problems. */
  label: string;
  bytes: Uint8Array;
}

export interface AllowItem {
  entry: string;
  file: string;
  reason: string;
  line: number;
  column: number;
}

export interface AllowList {
  label: string;
  items: AllowItem[];
}

/** Reads `allow-list.yaml`: a YAML list of `{entry, file, reason}`. Problems are KB017 errors at the item. */
export function parseAllowList(text: string, label: string, problems: KbProblem[]): AllowList {
  const list: AllowList = { label, items: [] };
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true });
  const err = (line: number, column: number, message: string): void => {
    problems.push({ file: label, line, column, code: 'KB017', severity: 'error', message });
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e?.linePos?.[0];
    err(pos?.line ?? 1, pos?.col ?? 1, `not valid YAML: ${(e?.message ?? '').split('\n')[0]}`);
    return list;
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return list;
  if (!Array.isArray(data)) {
    err(1, 1, 'the allow-list must be a YAML list of {entry, file, reason} items (an empty list is [])');
    return list;
  }
  data.forEach((item: unknown, i) => {
    const node = doc.getIn([i], true) as { range?: [number, number, number] } | undefined;
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    const obj = (typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
    const extra = Object.keys(obj).filter((k) => !['entry', 'file', 'reason'].includes(k));
    const entry = obj['entry'];
    const file = obj['file'];
    const reason = obj['reason'];
    if (typeof entry !== 'string' || typeof file !== 'string' || typeof reason !== 'string' || reason.trim().length < 10 || extra.length > 0) {
      err(pos.line, pos.col, `allow-list item ${i + 1} needs exactly "entry" (an entry id), "file" (a file name in the baseline folder) and "reason" (a sentence saying why the match is right)` +
        (extra.length > 0 ? `; unknown key ${extra.join(', ')}` : ''));
      return;
    }
    list.items.push({ entry, file, reason, line: pos.line, column: pos.col });
  });
  return list;
}

export interface BaselineOptions {
  /** Report allow-list items that name entries not in this KB (off when a test KB borrows the shared baseline). */
  reportUnknownEntries: boolean;
}

export function checkBaseline(loaded: LoadedKb, logs: readonly BaselineLog[], allow: AllowList, options: BaselineOptions): KbProblem[] {
  const problems: KbProblem[] = [];
  const byId = new Map<string, LoadedEntry>(loaded.entries.map((e) => [e.front.id, e]));
  const fired = new Set<string>();
  const key = (entry: string, file: string): string => `${entry}\u0000${file}`;
  const allowed = new Map(allow.items.map((a) => [key(a.entry, a.file), a]));
  for (const log of logs) {
    const decoded = decodeLogBytes(log.bytes);
    if (!decoded.ok) {
      problems.push({ file: log.label, line: 1, column: 1, code: 'KB017', severity: 'error', message: `baseline file cannot be read as a log: ${decoded.reason}` });
      continue;
    }
    const d = diagnoseText(decoded.text, loaded.kb, { fileName: log.name, maxMatches: Math.max(loaded.entries.length, 1) });
    for (const m of d.matches) {
      if (m.confidence !== 'high') continue;
      fired.add(key(m.id, log.name));
      if (allowed.has(key(m.id, log.name))) continue;
      const entry = byId.get(m.id);
      if (!entry) continue;
      const first = m.evidence[0];
      const sigIndex = entry.front.signatures.findIndex((s) => s.name === first?.signature);
      const at = sigIndex >= 0 ? entry.locate(['signatures', sigIndex]) : entry.locate(['id']);
      const where = first ? ` (signature "${first.signature}", line ${first.line}: ${JSON.stringify(clip(first.text))})` : '';
      problems.push({
        file: entry.file, ...at, code: 'KB015', severity: 'error',
        message: `matches the baseline log ${log.label} with high confidence${where}; baseline logs are healthy or belong to other products: ` +
          `make the signature more specific (add a condition this log lacks, or a "not" for the line) or lower its confidence; ` +
          `if the match is right, add {entry: ${m.id}, file: ${log.name}, reason: …} to ${allow.label}`,
      });
    }
  }
  const names = new Set(logs.map((l) => l.name));
  for (const item of allow.items) {
    const warn = (message: string): void => {
      problems.push({ file: allow.label, line: item.line, column: item.column, code: 'KB016', severity: 'warning', message });
    };
    if (!byId.has(item.entry)) {
      if (options.reportUnknownEntries) warn(`allow-list item names entry "${item.entry}", which is not in the KB: fix the id or remove the item`);
    } else if (!names.has(item.file)) {
      warn(`allow-list item names "${item.file}", which is not a log in the baseline folder: fix the file name or remove the item`);
    } else if (!fired.has(key(item.entry, item.file))) {
      warn(`allow-list item for ${item.entry} on ${item.file} is no longer needed (the entry does not match that log with high confidence): remove it`);
    }
  }
  return problems;
}

function clip(s: string): string {
  return s.length > 100 ? s.slice(0, 99) + '…' : s;
}
