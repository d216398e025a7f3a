import { describe, expect, test } from 'vitest';
import { extractCodes, parseCodeSpelling } from '../../matchers/facts/codes';
import { extractFacts } from '../../matchers/facts/extract-facts';
import type { LogRecord } from '../../matchers/types';

const text = (t: string): LogRecord => ({ line: 1, endLine: 1, text: t, format: 'text' });

describe('error codes in the spellings engineers paste', () => {
  test.each([
    ['Download failed for content PS100045.2 under context System, error 0x80091007', 0x80091007],
    ['ERROR CODE: 0X80091007 - The hash value is not correct.', 0x80091007],
    ['HRESULT=80091007 (resolvesource.cpp,2903)', 0x80091007],
    ['Failed to instantiate UI Server {X} with error 8000401a', 0x8000401a],
    ['hr=80070005', 0x80070005],
    ['#define CRYPT_E_HASH_VALUE _HRESULT_TYPEDEF_(0x80091007L)', 0x80091007],
    ['Program exit code -2146889721', 0x80091007],
    ['The operation failed with error 2148077575', 0x80091007],
    ['2148077575', 0x80091007],
  ])('%s', (line, value) => {
    expect(extractCodes(line).map((c) => c.value)).toContain(value);
  });

  test.each([
    ['thread ids and success values are not failure codes', 'Exit code 0x00000000 3/25/2010 12:31:21 AM 2096 (0x0830)'],
    ['a byte count of ten digits is not a code without a keyword before it', 'BYTES: 2148077575 / 2148077575'],
    ['GUIDs are not codes', 'Content_8b2d4c1e-6f3a-4d2b-9e7c-0a1b2c3d4e5f'],
  ])('%s', (_name, line) => {
    expect(extractCodes(line)).toEqual([]);
  });

  test.each([
    ['Error 80072EE2', 0x80072ee2],
    ['error code 80072ee2', 0x80072ee2],
    ['error code: 80072ee2', 0x80072ee2],
    ['hr=80004005', 0x80004005],
    ['Result = 80190194 (retrying)', 0x80190194],
    ['Download of the update failed with 80072EFD.', 0x80072efd],
    ['80072ee2', 0x80072ee2],
    ['80072EE2.', 0x80072ee2],
    ['  80072EE2  ', 0x80072ee2],
    ['The download failed. The code was:\n80072ee2\nSee the log.', 0x80072ee2],
    ['first line\r\n\t8007000e;\r\nlast line', 0x8007000e],
    ['c1900101', 0xc1900101],
  ])('bare hex: %s', (line, value) => {
    expect(extractCodes(line).map((c) => c.value)).toContain(value);
  });

  test.each([
    ['a GUID after a keyword', 'Error 8f2a1c3d-5e6f-4a1b-9c2d-3e4f5a6b7c8d while processing'],
    ['a GUID in braces', 'CTM job {8F2A1C3D-5E6F-4A1B-9C2D-3E4F5A6B7C8D} code {8F2A1C3D-5E6F-4A1B-9C2D-3E4F5A6B7C8D}'],
    ['a GUID alone on its line', 'content\n8f2a1c3d-5e6f-4a1b-9c2d-3e4f5a6b7c8d\n'],
    ['a SHA-1 hash', 'Hash code a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'],
    ['a SHA-256 hash alone on its line', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['a hash with a keyword before it', 'status: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['a hex dump', '00000010: 8007000e 80190194 deadbeef 00000000'],
    ['a size', 'Size=80091007'],
    ['a byte count in hex', 'Content size 8a00f000 bytes'],
    ['a package ID alone on its line', 'C0100978'],
    ['package IDs in a list', 'Packages:\nC0100978\nABC0001F\nPS100012'],
    ['a thread id', 'Download completed 3/25/2010 12:31:21 AM 2096 (0x0830)'],
    ['a success value alone', '00000000'],
    ['seven or nine digits alone', '8007000\n800700050'],
  ])('bare hex look-alikes are not codes: %s', (_name, line) => {
    expect(extractCodes(line)).toEqual([]);
  });

  test.each([
    ['0x80190194', 0x80190194], ['80190194', 0x80190194], ['0X80190194L', 0x80190194],
    ['-2145844844', 0x80190194], ['2149122452', 0x80190194], ['8000401a', 0x8000401a], ['0x0', 0],
  ])('a typed code %s', (input, value) => {
    expect(parseCodeSpelling(input)).toBe(value);
  });

  test.each(['hello', '12345678901', '0x123456789', '-99999999999'])('%s is not a code', (input) => {
    expect(parseCodeSpelling(input)).toBeUndefined();
  });
});

describe('HTTP statuses', () => {
  test.each([
    ['HTTP Error 404.7 - Not Found', { status: 404, substatus: 7 }],
    ['The request failed with HTTP status 404: Not Found', { status: 404 }],
    ['WinHttpQueryHeaders() returns status code 404 (Not Found)', { status: 404 }],
    ['Request failed, HTTP/1.1 403 Forbidden', { status: 403 }],
  ])('%s', (line, fact) => {
    expect(extractFacts(text(line)).http).toContainEqual(fact);
  });

  test('BITS HTTP errors (0x8019xxxx) are HTTP statuses too', () => {
    expect(extractFacts(text('ERROR CODE: 0x80190194 - HTTP status 404')).http).toContainEqual({ status: 404 });
  });

  test('version numbers are not statuses', () => {
    expect(extractFacts(text('Client version 5.00.7958.1000 installed')).http).toEqual([]);
  });

  test('a W3C line gives status and substatus from its fields', () => {
    const r: LogRecord = { line: 1, endLine: 1, text: '…', format: 'iis', fields: { method: 'GET', uri: '/a/b.ldf', status: '404', substatus: '7' } };
    expect(extractFacts(r).http).toEqual([{ status: 404, substatus: 7 }]);
  });
});

describe('URLs and paths', () => {
  test('a URL with placeholders and percent-encoding: file, extension, segments', () => {
    const [p] = extractFacts(text('Error downloading file from http://<DP_Server>:80/SMS_DP_SMSPKG<Drive_Letter>%24/<Package_ID>/Tools/OSDResults/OSDResults.exe.config to D:\\x')).paths;
    expect(p).toMatchObject({ kind: 'url', file: 'OSDResults.exe.config', extension: '.config' });
    expect(p?.segments).toEqual(['SMS_DP_SMSPKG<Drive_Letter>$', '<Package_ID>', 'Tools', 'OSDResults', 'OSDResults.exe.config']);
  });

  test('Windows paths with mixed slashes', () => {
    const paths = extractFacts(text('to D:\\_SMSTaskSequence\\Packages\\PS100012\\Tools/OSDResults/OSDResults.exe.config InstallSoftware')).paths;
    expect(paths[0]).toMatchObject({ kind: 'path', file: 'OSDResults.exe.config', extension: '.config' });
  });

  test('a query string is not part of the file name', () => {
    const [p] = extractFacts(text('from mcs://dp01/SMS_MCS/.sms_mcs?filePath=\\\\dp01\\SMSPKGD$\\C0100978\\&packageID=C0100978')).paths;
    expect(p).toMatchObject({ file: '.sms_mcs', extension: undefined });
  });

  test('content-library requests carry the file in the IIS query field', () => {
    const r: LogRecord = { line: 1, endLine: 1, text: '…', format: 'iis', fields: { method: 'GET', uri: '/SMS_DP_SMSPKG$/Content_0a1b.1/sccm', query: '/Tools/setup.exe.config', status: '404', substatus: '7' } };
    expect(extractFacts(r).paths.map((p) => p.file)).toContain('setup.exe.config');
  });
});

describe('events and package IDs', () => {
  test('"BITS event 16384" in prose', () => {
    expect(extractFacts(text('I see BITS event 16384 in the System log')).events).toEqual([{ source: 'BITS', id: 16384 }]);
  });

  test('package IDs, but not pieces of GUIDs or hex codes', () => {
    const facts = extractFacts(text('packageID=C0100978 job {C54E37D3-BFDE-4A51-9F0D-000000000000} code 0x80091007 package PS100012'));
    expect(facts.packages).toEqual(['C0100978', 'PS100012']);
  });
});

test('a content-library URL names its file in the query; that file is the first path', () => {
  const [first] = extractFacts(text('failed with error 0x80190194 for http://DP01.contoso.com:80/SMS_DP_SMSPKG$/9c5f7e0a-1111-2222-3333-444455556666/sccm?/windows10.0-kb5031356-x64.cab')).paths;
  expect(first).toMatchObject({ file: 'windows10.0-kb5031356-x64.cab', extension: '.cab' });
});
