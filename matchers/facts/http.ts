import type { HttpFact, LogRecord } from '../types';

/**
 * HTTP statuses: from W3C fields (`404 7`), IIS's dotted form (`404.7`, `HTTP Error 404.7`),
 * and prose (`HTTP status 404`, `status code 404`, `HTTP/1.1 404`, `HTTP 404`).
 * BITS reports HTTP statuses as HRESULTs `0x8019xxxx`; those are added by the fact
 * extractor from the codes, not here.
 */
// A full stop after a status ends the sentence ("… returned HTTP status 404."); a digit after it is part of a number.
const DOTTED = /(?<![\w.])([45]\d\d)\.(\d{1,3})(?!\w|\.\d)/g;
const PROSE = /\b(?:http(?:\/\d\.\d)?(?:\s+(?:status|error|response))?(?:\s+code)?|status\s+code|status)\s*(?:[:=]\s*)?([1-5]\d\d)(?!\w|\.\d)/gi;
const THREE_DIGITS = /\d\d\d/;

export function extractHttp(record: LogRecord): HttpFact[] {
  const out: HttpFact[] = [];
  const fields = record.fields;
  if (record.format === 'iis' && fields?.['status'] !== undefined) {
    const status = Number(fields['status']);
    const sub = fields['substatus'];
    out.push(sub !== undefined ? { status, substatus: Number(sub) } : { status });
    return out;
  }
  const text = record.text;
  if (!THREE_DIGITS.test(text)) return out;
  DOTTED.lastIndex = 0;
  for (let m = DOTTED.exec(text); m !== null; m = DOTTED.exec(text)) out.push({ status: Number(m[1]), substatus: Number(m[2]) });
  PROSE.lastIndex = 0;
  for (let m = PROSE.exec(text); m !== null; m = PROSE.exec(text)) {
    const status = Number(m[1]);
    if (!out.some((h) => h.status === status)) out.push({ status });
  }
  return out;
}

/** BITS' HTTP errors: 0x80190000 + status, for statuses 100–599. */
export function httpStatusOfBitsCode(value: number): number | undefined {
  if (value < 0x80190000 || value >= 0x80194000) return undefined;
  const status = value - 0x80190000;
  return status >= 100 && status <= 599 ? status : undefined;
}
