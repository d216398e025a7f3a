import { formatCode, signedDecimal } from '../facts/codes';
import { httpStatusOfBitsCode } from '../facts/http';
import type { DecodedCode } from '../types';
import type { CodeTable } from './code-table';

const FACILITY_WIN32 = 7;

/**
 * Splits an HRESULT into its parts and names it from the table. Structure is decoded
 * even for codes the table does not know, so every code in a paste gets an answer.
 */
export function decodeCode(value: number, table: CodeTable): DecodedCode {
  const v = value >>> 0;
  const failure = (v & 0x80000000) !== 0;
  const customer = (v & 0x20000000) !== 0;
  const ntstatusLike = (v & 0x40000000) !== 0;
  const facilityNumber = (v >>> 16) & 0x7ff;
  const codePart = v & 0xffff;
  const rows = table.rows.get(v) ?? [];
  const primary = rows[0];
  const notes: string[] = [];

  const facilityName = table.facilities.get(facilityNumber);
  const facility = facilityName !== undefined ? `${facilityName} (${facilityNumber})` : `${facilityNumber}`;

  if (!failure) notes.push('The severity bit is clear: this value reports success or information, not a failure.');
  if (customer) notes.push('The customer bit is set: the code is defined by an application, not by Windows.');
  else if (ntstatusLike && failure) notes.push('Both top bits are set: this may be an NTSTATUS value rather than an HRESULT.');

  const httpStatus = httpStatusOfBitsCode(v);
  if (httpStatus !== undefined) {
    const reason = table.httpReasons.get(httpStatus);
    notes.push(`BITS reports the server's HTTP status ${httpStatus}${reason ? ` (${reason})` : ''}: the server answered, look up the request in the IIS log of the server for its substatus.`);
  } else if (facilityNumber === FACILITY_WIN32 && failure && !customer) {
    const win32 = codePart;
    notes.push(`HRESULT_FROM_WIN32: Win32 error ${win32}${primary ? ` (${primary.name})` : ''}.`);
  }
  for (const note of table.notes.get(v) ?? []) notes.push(note);

  return {
    code: formatCode(v),
    decimal: signedDecimal(v),
    name: primary?.name ? primary.name : null,
    message: primary?.message ?? (httpStatus !== undefined ? `HTTP status ${httpStatus}${table.httpReasons.get(httpStatus) ? `: ${table.httpReasons.get(httpStatus)}` : ''}` : null),
    facility,
    notes,
    aliases: rows.slice(1).map((r) => r.name).filter((n) => n !== primary?.name),
    source: primary?.source,
  };
}
