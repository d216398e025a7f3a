import type { Severity } from '../types';

/**
 * `bitsadmin /list /allusers /verbose` prints one `KEY: value` group per job. Each line
 * becomes a record, so `ERROR FILE:` and `ERROR CODE:` lines can be cited separately.
 */
const KEYS = /^(GUID|DISPLAY|TYPE|STATE|OWNER|PRIORITY|FILES|BYTES|CREATION TIME|MODIFICATION TIME|COMPLETION TIME|ERROR FILE|ERROR CODE|ERROR CONTEXT|NOTIFY INTERFACE|NOTIFICATION FLAGS|RETRY DELAY|NO PROGRESS TIMEOUT|ERROR COUNT|PROXY USAGE|PROXY LIST|PROXY BYPASS LIST|DESCRIPTION|JOB FILES|NOTIFICATION COMMAND LINE|owner MIC integrity level|owner elevated ?|PEERCACHING FLAGS|CUSTOM HEADERS|TRANSFER POLICY):/i;

export function parseBitsadminLine(line: string): { key: string; value: string; severity?: Severity } | undefined {
  const trimmed = line.trim();
  const m = KEYS.exec(trimmed);
  if (!m || m[1] === undefined) return undefined;
  const key = m[1].toUpperCase();
  const value = trimmed.slice(m[0].length).trim();
  let severity: Severity | undefined;
  if (key.startsWith('ERROR')) severity = 'error';
  else if (key === 'TYPE' || key === 'STATE') {
    if (/\bSTATE:\s*ERROR\b|^ERROR\b/i.test(value)) severity = 'error';
    else if (/TRANSIENT_ERROR/i.test(value)) severity = 'warning';
  }
  return { key, value, severity };
}
