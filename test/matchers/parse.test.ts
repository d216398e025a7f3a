import { describe, expect, test } from 'vitest';
import { createLogParser } from '../../matchers/parse/log-parser';
import type { LogRecord } from '../../matchers/types';

function parse(text: string, fileName?: string): LogRecord[] {
  const p = createLogParser({ fileName });
  const out: LogRecord[] = [];
  for (const line of text.split('\n')) out.push(...p.push(line));
  out.push(...p.end());
  return out;
}

describe('CMTrace records', () => {
  test('one-line record: message, component, severity, log', () => {
    const [r] = parse('<![LOG[Download failed for content PS100045.2 under context System, error 0x80091007]LOG]!><time="09:12:44.210+060" date="04-12-2011" component="ContentAccess" context="" type="3" thread="3120" file="contentaccess.cpp:1308">');
    expect(r).toMatchObject({ line: 1, endLine: 1, format: 'cmtrace', component: 'ContentAccess', log: 'CAS', severity: 'error', text: 'Download failed for content PS100045.2 under context System, error 0x80091007' });
  });

  test('a message spanning lines is one record with its first and last line', () => {
    const records = parse([
      '<![LOG[DTS job {A1} has completed:',
      '   Status : FAILED',
      '   Error : 0x80190194]LOG]!><time="10:00:00.000+000" date="11-03-2026" component="DataTransferService" context="" type="2" thread="12" file="dtsjob.cpp:100">',
      '<![LOG[next]LOG]!><time="10:00:01.000+000" date="11-03-2026" component="DataTransferService" context="" type="1" thread="12" file="x">',
    ].join('\n'));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 1, endLine: 3, log: 'DataTransferService', severity: 'warning' });
    expect(records[0]?.text).toBe('DTS job {A1} has completed: Status : FAILED Error : 0x80190194');
    expect(records[1]).toMatchObject({ line: 4, text: 'next', severity: 'info' });
  });

  test('an unterminated record falls back to plain lines instead of being lost', () => {
    const records = parse('<![LOG[half a record\nsecond line');
    expect(records.map((r) => r.format)).toEqual(['text', 'text']);
    expect(records[1]?.text).toBe('second line');
  });

  test.each([
    ['spaces, as KB articles print it', 'Hash matching failed. 3/25/2010 12:31:21 AM 2096 (0x0830)', 'Hash matching failed.', undefined],
    ['tabs with a component, as CMTrace copies it', 'Hash matching failed.\tContentAccess\t3/25/2010 12:31:21 AM\t2096 (0x0830)', 'Hash matching failed.', 'ContentAccess'],
    ['24-hour time with milliseconds', 'Starting download  11/03/2026 14:02:11.123  412 (0x019C)', 'Starting download', undefined],
  ])('clipboard text: %s', (_name, line, message, component) => {
    const [r] = parse(line);
    expect(r).toMatchObject({ format: 'cmtrace-clipboard', text: message });
    expect(r?.component).toBe(component);
  });

  test('SMSTS.log lines that end with the component name', () => {
    const [r] = parse('WinHttpQueryHeaders() returns status code 404 (Not Found) InstallSoftware');
    expect(r).toMatchObject({ format: 'cmtrace-clipboard', log: 'SMSTS', component: 'InstallSoftware', text: 'WinHttpQueryHeaders() returns status code 404 (Not Found)' });
  });

  test('the older SMS format with $$<component>', () => {
    const [r] = parse('Download failed for content PS100045 $$<ContentAccess><03-25-2010 00:31:21.123+480><thread=2096 (0x830)>');
    expect(r).toMatchObject({ format: 'cmtrace-clipboard', component: 'ContentAccess', log: 'CAS', text: 'Download failed for content PS100045' });
  });
});

describe('server lines as troubleshooting articles print them (component and thread first)', () => {
  test('the component names the log; the message keeps its words', () => {
    const [r] = parse('SMS_DISTRIBUTION_MANAGER 5112 (0x13f8) Failed to make a network connection to \\\\DPNAME.CONTOSO.COM\\ADMIN$ (0x35).~');
    expect(r).toMatchObject({ format: 'cmtrace-clipboard', component: 'SMS_DISTRIBUTION_MANAGER', log: 'DistMgr', text: 'Failed to make a network connection to \\\\DPNAME.CONTOSO.COM\\ADMIN$ (0x35).~' });
    expect(parse('SMS_PACKAGE_TRANSFER_MANAGER 7156 (0x1BF4) CSendFileAction::SendFiles failed; 0x80004005')[0]?.log).toBe('PkgXferMgr');
    expect(parse('SMS Provider 4680 (0x1248) CExtProviderClassObject::DoPutInstanceInstance~')[0]?.component).toBe('SMS Provider');
  });

  test('a sentence that happens to start with a capitalised word and a number is not one', () => {
    expect(parse('Windows 10 (0x0a) failed to download')[0]?.format).toBe('text');
    expect(parse('Error 53 (0x35) when distributing')[0]?.format).toBe('text');
  });
});

describe('log headings and file names', () => {
  test('a "CAS.Log:" heading sets the log of the plain lines after it', () => {
    const records = parse('CAS.Log:\nsomething happened\nContentTransferManager.log:\nsomething else');
    expect(records.map((r) => r.log)).toEqual(['CAS', 'CAS', 'ContentTransferManager', 'ContentTransferManager']);
  });

  test('a sentence naming an old site server log sets the log of the lines after it', () => {
    const records = parse('The following error is logged in the Lansend.log file:\nThere is not enough space on the disk.');
    expect(records[1]?.log).toBe('sender');
    expect(parse('In addition, the following information is recorded in Distmgr.log:\n~Cannot update the package AUS0001B in the package source, error = 8')[1]?.log).toBe('DistMgr');
  });

  test('the file name tells the log of plain lines', () => {
    const [r] = parse('a plain line', 'C:\\Windows\\CCM\\Logs\\DataTransferService.log');
    expect(r?.log).toBe('DataTransferService');
  });
});

describe('IIS W3C lines', () => {
  test('with a #Fields header, fields are taken from it', () => {
    const records = parse([
      '#Software: Microsoft Internet Information Services 10.0',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      '2026-11-03 10:14:02 10.0.0.5 HEAD /SMS_DP_SMSPKG$/PS100012/data/app.mdf - 80 - 10.0.8.21 Microsoft+BITS/7.8 - 404 7 0 15',
    ].join('\n'));
    const r = records[2];
    expect(r).toMatchObject({ format: 'iis', log: 'IIS', severity: 'error' });
    expect(r?.fields).toMatchObject({ method: 'HEAD', uri: '/SMS_DP_SMSPKG$/PS100012/data/app.mdf', status: '404', substatus: '7', win32: '0' });
  });

  test.each([
    ['placeholders for date, time and server address', '<GMT_Date> <GMT_Time> <DP_Server_IP> GET /SMS_DP_SMSPKG<Drive_Letter>$/<Package_ID>/Tools/OSDResults/OSDResults.exe.config - 80 - <Client_IP> SMS+TS 404 7 64 15', 'GET', '7'],
    ['no date and time, typographic dashes', 'ServerIP HEAD /SMS_DP_SMSPKGE$/ABC00123/blah/file.ldf – 80 – ClientIP Microsoft+BITS/6.7 404 7 0 156', 'HEAD', '7'],
    ['the default IIS 8.5+ order with a referer', '2026-11-03 10:14:02 10.0.0.5 GET /SMS_DP_SMSPKG$/PS100012/bin/x.dll - 80 - 10.0.8.21 Microsoft+BITS/7.8 - 404 8 0 31', 'GET', '8'],
  ])('without a header: %s', (_name, line, method, substatus) => {
    const [r] = parse(line);
    expect(r?.format).toBe('iis');
    expect(r?.fields?.['method']).toBe(method);
    expect(r?.fields?.['status']).toBe('404');
    expect(r?.fields?.['substatus']).toBe(substatus);
  });

  test('an nginx access line is not taken for an IIS line', () => {
    const [r] = parse('203.0.113.7 - - [03/Nov/2026:10:14:02 +0000] "GET /downloads/app.config HTTP/1.1" 404 153 "-" "curl/8.5.0"');
    expect(r?.format).toBe('text');
  });
});

describe('bitsadmin output and event-log text', () => {
  test('bitsadmin ERROR lines are error records', () => {
    const records = parse('GUID: {0B7E3D21} DISPLAY: \'CCMDTS Job\'\nTYPE: DOWNLOAD STATE: ERROR OWNER: NT AUTHORITY\\SYSTEM\nERROR CODE: 0x80190194 - HTTP status 404: The requested URL does not exist on the server.');
    expect(records.map((r) => r.format)).toEqual(['bitsadmin', 'bitsadmin', 'bitsadmin']);
    expect(records[1]?.severity).toBe('error');
    expect(records[2]?.fields?.['key']).toBe('ERROR CODE');
  });

  test('an event block becomes one record with source, ID and description', () => {
    const records = parse('Event Type:    Information\nEvent Source:    BITS\nEvent ID:    16384\nThe administrator NT AUTHORITY\\SYSTEM canceled job “CCMDTS Job” on behalf of Domain\\User.\n\nafter the event');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ format: 'eventlog', line: 1, endLine: 4, severity: 'info' });
    expect(records[0]?.fields).toMatchObject({ 'event source': 'BITS', 'event id': '16384' });
    expect(records[0]?.text).toContain('canceled job "CCMDTS Job"');
    expect(records[1]).toMatchObject({ format: 'text', line: 6 });
  });

  test('Event Viewer copies with Description: on its own line', () => {
    const [r] = parse('Log Name:      Microsoft-Windows-Bits-Client/Operational\nSource:        Microsoft-Windows-Bits-Client\nEvent ID:      59\nLevel:         Error\nDescription:\nBITS stopped transferring the CCMDTS Job transfer job with error 0x80190194.');
    expect(r).toMatchObject({ format: 'eventlog', severity: 'error' });
    expect(r?.text).toContain('0x80190194');
  });
});

test('unknown text never fails: it becomes plain lines, empty lines are skipped', () => {
  const records = parse('just some words\n\n\u0000\u0001 binary-ish \uFFFD\nthe end');
  expect(records.map((r) => r.format)).toEqual(['text', 'text', 'text']);
  expect(records.map((r) => r.line)).toEqual([1, 3, 4]);
});
