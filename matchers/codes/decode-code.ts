import { formatCode, signedDecimal } from '../facts/codes';
import { httpStatusOfBitsCode } from '../facts/http';
import type { DecodedCode } from '../types';
import type { CodeRow, CodeTable } from './code-table';

const FACILITY_ITF = 4;
const FACILITY_WIN32 = 7;

/**
 * Splits an HRESULT into its parts and names it from the table. Structure is decoded
 * even for codes the table does not know, so every code in a paste gets an answer: when
 * no row names the code, `message` says what the number itself tells (facility, the
 * wrapped Win32 error, the HTTP status) and `name` stays null, since no name is known.
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
  const reason = httpStatus !== undefined ? table.httpReasons.get(httpStatus) : undefined;
  // The Win32 error wrapped in the code, when the code has the Win32 facility and is not application-defined.
  const win32 = facilityNumber === FACILITY_WIN32 && failure && !customer ? codePart : undefined;
  const win32Row = win32 !== undefined ? firstNamed(table.rows.get((0x80070000 | win32) >>> 0)) : undefined;
  if (httpStatus !== undefined) {
    notes.push(`BITS reports the server's HTTP status ${httpStatus}${reason ? ` (${reason})` : ''}: the server answered, look up the request in the IIS log of the server for its substatus.`);
  } else if (win32 !== undefined) {
    const name = primary?.name || win32Row?.name;
    notes.push(`${ntstatusLike ? 'NTSTATUS_FROM_WIN32' : 'HRESULT_FROM_WIN32'}: Win32 error ${win32}${name ? ` (${name})` : ''}.`);
  }
  if (primary?.community) {
    notes.push('Community list, not Microsoft documentation: no Microsoft page explains this code, so its text comes from a community-maintained list (named in the source). Treat it as a hint and confirm it with the Error Lookup of CMTrace or OneTrace.');
  }
  for (const note of table.notes.get(v) ?? []) notes.push(note);

  return {
    code: formatCode(v),
    decimal: signedDecimal(v),
    name: primary?.name ? primary.name : null,
    message: primary?.message || describeWithoutRow(v, { failure, customer, ntstatusLike, facilityNumber, facilityName, codePart, httpStatus, reason, win32, win32Row }),
    facility,
    notes,
    aliases: rows.slice(1).map((r) => r.name).filter((n) => n.length > 0 && n !== primary?.name),
    source: primary?.source,
  };
}

function firstNamed(rows: readonly CodeRow[] | undefined): CodeRow | undefined {
  return rows?.find((r) => r.name.length > 0 && !r.community) ?? rows?.[0];
}

interface Parts {
  failure: boolean;
  customer: boolean;
  ntstatusLike: boolean;
  facilityNumber: number;
  facilityName: string | undefined;
  codePart: number;
  httpStatus: number | undefined;
  reason: string | undefined;
  win32: number | undefined;
  win32Row: CodeRow | undefined;
}

/**
 * What the number itself says, for a code no row names. Never invents a name: the message
 * says what is known (the facility, the wrapped Win32 error, the HTTP status) and that no
 * public table names the code.
 */
function describeWithoutRow(v: number, p: Parts): string {
  const code = `0x${p.codePart.toString(16).toUpperCase().padStart(4, '0')}`;
  if (!p.failure) return `Not a failure: the severity bit is clear, so this value reports success or information (facility ${facilityWords(p)}, code ${code}).`;
  if (p.httpStatus !== undefined) {
    return `HTTP status ${p.httpStatus}${p.reason ? `: ${p.reason}` : ' (the table has no reason phrase for this status)'}. BITS returns the status of the server's answer as 0x8019 followed by the status in hexadecimal.`;
  }
  if (p.customer) return `An application-defined error (customer bit set, facility ${p.facilityNumber}, code ${code}): the program that logged it defines its meaning; no public table names this code.`;
  if (p.win32 !== undefined) {
    const wrap = p.ntstatusLike ? 'NTSTATUS_FROM_WIN32' : 'HRESULT_FROM_WIN32';
    if (p.win32Row) return `Win32 error ${p.win32} (${p.win32Row.name}), wrapped by ${wrap}: ${p.win32Row.message}`;
    return `Win32 error ${p.win32}, wrapped by ${wrap}; Microsoft's System Error Codes list, which the code table follows, has no entry for this number, so no public table names this code.`;
  }
  if (v >= 0x87d00000 && v <= 0x87d2ffff) {
    return `A Configuration Manager error (0x87D0xxxx-0x87D2xxxx, facility ${p.facilityNumber}); no public table names this code. The Error Lookup of CMTrace or OneTrace decodes it on a machine with the Configuration Manager tools.`;
  }
  if (p.facilityNumber === FACILITY_ITF) {
    // Microsoft, "How to obtain error code descriptions in Configuration Manager reports" (KB 944375).
    const configMgr = v >= 0x80040200 && v <= 0x800403ff
      ? ' Microsoft notes that codes beginning 800402 or 800403 are typically Configuration Manager error codes (KB 944375, "How to obtain error code descriptions in Configuration Manager reports").'
      : '';
    return `An error of facility ITF (interface-specific, defined by the component that returned it), code ${code}; no public table names this code for that component.${configMgr}`;
  }
  return `An error of facility ${facilityWords(p)}, code ${code}; no public table names this code.`;
}

function facilityWords(p: Parts): string {
  return p.facilityName !== undefined ? `${p.facilityName.replace(/^FACILITY_/, '')} (${p.facilityNumber})` : `${p.facilityNumber}, which winerror.h does not name`;
}
