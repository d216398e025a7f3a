import { describe, expect, test } from 'vitest';
import { decodeCode } from '../../matchers/codes/decode-code';
import { parseCodeTable } from '../../matchers/codes/code-table';
import { lookupCodes } from '../../matchers/lookup-code';
import { realKb } from '../helpers/kb';

describe('decoding with the real code table', () => {
  const kb = realKb().kb;

  test('0x80190194 is BITS\' HTTP 404', () => {
    const d = decodeCode(0x80190194, kb.codes);
    expect(d).toMatchObject({ code: '0x80190194', decimal: -2145844844, name: 'BG_E_HTTP_ERROR_404' });
    expect(d.facility).toMatch(/^FACILITY_\w+ \(25\)$/);
    expect(d.notes.join(' ')).toContain('HTTP status 404 (Not Found)');
  });

  test('-2146889721 is 0x80091007, CRYPT_E_HASH_VALUE', () => {
    const [d] = lookupCodes('-2146889721', kb);
    expect(d).toMatchObject({ code: '0x80091007', name: 'CRYPT_E_HASH_VALUE' });
    expect(d?.message).toMatch(/hash/i);
  });

  test('0x80070194 is Win32 error 404, and the look-alike is called out', () => {
    const d = decodeCode(0x80070194, kb.codes);
    expect(d.name).toBe('ERROR_CLOUD_FILE_PROVIDER_TERMINATED');
    expect(d.notes.join(' ')).toContain('Win32 error 404');
    expect(d.notes.join(' ')).toMatch(/not an HTTP 404/i);
  });

  test('0x8020xxxx codes are BITS BG_E_* codes', () => {
    expect(decodeCode(0x80200013, kb.codes).name).toBe('BG_E_INSUFFICIENT_RANGE_SUPPORT');
  });

  test('WinHTTP and WinINet names of the same value are both shown', () => {
    const d = decodeCode(0x80072efe, kb.codes);
    expect([d.name, ...(d.aliases ?? [])]).toEqual(expect.arrayContaining(['ERROR_WINHTTP_CONNECTION_ERROR', 'ERROR_INTERNET_CONNECTION_ABORTED']));
  });

  test('an unknown code still gets its structure', () => {
    const d = decodeCode(0xa0123456, kb.codes);
    expect(d).toMatchObject({ code: '0xA0123456', name: null, message: null });
    expect(d.notes.join(' ')).toMatch(/customer bit/);
  });

  test('every spelling a user types decodes to the same code', () => {
    for (const s of ['0x80190194', '80190194', '-2145844844', '2149122452', '0X80190194L']) {
      expect(lookupCodes(s, kb)[0]?.code).toBe('0x80190194');
    }
  });
});

describe('the code table files', () => {
  test('every row of the real table has a source and no problems', () => {
    expect(realKb().problems.filter((p) => p.file.startsWith('kb/codes'))).toEqual([]);
    expect(realKb().kb.codes.size).toBeGreaterThan(500);
  });

  test('malformed rows are reported with file, line and a fix', () => {
    const { problems } = parseCodeTable([{ name: 'kb/codes/x.tsv', text: 'code\tname\tmessage\tsource\n0x80091007\tCRYPT_E_HASH_VALUE\tThe hash value is not correct.\t\n80091007\tX\tY\twinerror.h\n0x80091007 CRYPT_E_HASH_VALUE\n' }]);
    expect(problems.map((p) => [p.line, p.code]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([[2, 'KB304'], [3, 'KB303'], [4, 'KB302']]);
  });
});
