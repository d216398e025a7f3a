import type { Severity } from '../types';

/**
 * Event-log text as Event Viewer copies it ("Log Name:", "Source:", "Event ID:", …) and as
 * older KB articles print it ("Event Type:", "Event Source:", "Event ID:").
 */
const KEY_LINE = /^\s*(Log Name|Source|Event Source|Date|Time|Event ID|Task Category|Category|Level|Keywords|User|Computer|Event Type|Event Category|Description|OpCode)\s*:\s*(.*)$/i;
const BLOCK_START = /^\s*(Log Name|Event Type|Event Source|Event ID)\s*:/i;

export function isEventBlockStart(line: string): boolean {
  return BLOCK_START.test(line);
}

export function parseEventKeyLine(line: string): { key: string; value: string } | undefined {
  const m = KEY_LINE.exec(line);
  if (!m || m[1] === undefined) return undefined;
  return { key: m[1].toLowerCase().replace(/\s+/g, ' '), value: (m[2] ?? '').trim() };
}

export function eventSeverity(fields: Readonly<Record<string, string>>): Severity | undefined {
  const level = (fields['level'] ?? fields['event type'] ?? '').toLowerCase();
  if (level.startsWith('error') || level.startsWith('critical')) return 'error';
  if (level.startsWith('warn')) return 'warning';
  if (level.startsWith('info')) return 'info';
  return undefined;
}
