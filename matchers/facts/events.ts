import type { EventFact, LogRecord } from '../types';

/** `\s*(?:[:#]\s*)?` keeps a long run of spaces after "event" linear (see facts/codes.ts). */
const EVENT_ID_IN_TEXT = /\bevent(?:\s+id)?\s*(?:[:#]\s*)?(\d{1,6})\b/i;
const EVENT_WORD = /event/i;

/** Event source and ID from an event-log block, or from prose such as "BITS event 16384". */
export function extractEvents(record: LogRecord): EventFact[] {
  if (record.format === 'eventlog' && record.fields) {
    const source = record.fields['event source'] ?? record.fields['source'];
    const idText = record.fields['event id'];
    const id = idText !== undefined && /^\d{1,6}$/.test(idText.trim()) ? Number(idText.trim()) : undefined;
    if (source !== undefined || id !== undefined) return [{ source, id }];
    return [];
  }
  if (!EVENT_WORD.test(record.text)) return [];
  const m = EVENT_ID_IN_TEXT.exec(record.text);
  if (!m || m[1] === undefined) return [];
  const before = record.text.slice(Math.max(0, (m.index ?? 0) - 40), m.index);
  const source = /\b(BITS|Bits-Client|WDS|WSUS|SMS\w*)\s*$/i.exec(before)?.[1];
  return [{ source, id: Number(m[1]) }];
}

/** An event source written in a KB entry matches the full name Windows logs (`BITS` ↔ `Microsoft-Windows-Bits-Client`). */
export function eventSourceMatches(actual: string | undefined, wanted: string): boolean {
  if (actual === undefined) return false;
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  return a === w || a.split(/[-\s]+/).includes(w) || a.replace(/^microsoft-windows-/, '') === w;
}
