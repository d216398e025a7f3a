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

  test('an unknown code still gets its structure, and a message that says what is known', () => {
    const d = decodeCode(0xa0123456, kb.codes);
    expect(d).toMatchObject({ code: '0xA0123456', name: null });
    expect(d.message).toMatch(/application-defined.*no public table names this code/i);
    expect(d.notes.join(' ')).toMatch(/customer bit/);
  });

  describe('never "unknown": a message for every failure code, and no invented name', () => {
    test.each([
      ['0x8004FFFF', /facility ITF \(interface-specific, defined by the component that returned it\).*no public table names this code/],
      ['0x80990001', /facility 153, which winerror\.h does not name.*no public table names this code/],
      ['0x87D2FFFF', /Configuration Manager error.*no public table names this code/],
      ['0x8007FFFF', /Win32 error 65535, wrapped by HRESULT_FROM_WIN32/],
      ['0xC0070005', /Win32 error 5 \(ERROR_ACCESS_DENIED\), wrapped by NTSTATUS_FROM_WIN32: Access is denied/],
      ['0x801901FF', /^HTTP status 511: Network Authentication Required/],
      ['0x00000001', /Not a failure/],
    ])('%s', (value, message) => {
      const d = decodeCode(Number(value), kb.codes);
      expect(d.name).toBeNull();
      expect(d.message).toMatch(message);
      expect(d.source).toBeUndefined();
    });
  });

  test('0x80040215, seen in ContentTransferManager.log, is explained without borrowing another component\'s name', () => {
    const d = decodeCode(0x80040215, kb.codes);
    expect(d.name).toBeNull();
    expect(d.aliases).toEqual([]);
    expect(d.facility).toBe('FACILITY_ITF (4)');
    expect(d.message).toMatch(/facility ITF/);
    expect(d.message).toMatch(/codes beginning 800402 or 800403 are typically Configuration Manager error codes/);
    const notes = d.notes.join(' ');
    expect(notes).toMatch(/ContentTransferManager\.log/);
    expect(notes).toMatch(/VFW_E_NO_INTERFACE.*do not apply to ConfigMgr/);
  });

  test.each([
    ['0x80072EE2', 'ERROR_WINHTTP_TIMEOUT', /timed out/],
    ['0x80072EE7', 'ERROR_WINHTTP_NAME_NOT_RESOLVED', /could not be resolved/],
    ['0x80072EFD', 'ERROR_WINHTTP_CANNOT_CONNECT', /could not be established/],
    ['0x80072EFE', 'ERROR_WINHTTP_CONNECTION_ERROR', /terminated abnormally/],
    ['0x80072F8F', 'ERROR_WINHTTP_SECURE_FAILURE', /security error/],
    ['0x80072F78', 'ERROR_WINHTTP_INVALID_SERVER_RESPONSE', /invalid or unrecognized response/],
    ['0x80072F0D', 'ERROR_WINHTTP_SECURE_INVALID_CA', /certificate authority is invalid/],
    ['0x80072F06', 'ERROR_WINHTTP_SECURE_CERT_CN_INVALID', /host name in the certificate/],
    ['0x80072F7D', 'ERROR_WINHTTP_SECURE_CHANNEL_ERROR', /secure channel/],
    ['0x80072F76', 'ERROR_WINHTTP_HEADER_NOT_FOUND', /header was not found/],
    ['0x80072F05', 'ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', /expired/],
  ])('WinHTTP %s is %s', (value, name, message) => {
    const d = decodeCode(Number(value), kb.codes);
    expect(d.name).toBe(name);
    expect(d.message).toMatch(message);
    expect(d.source).toMatch(/winhttp\.h/);
  });

  test('0x80072EFF has only a WinINet name (WinHTTP defines no error 12031)', () => {
    const d = decodeCode(0x80072eff, kb.codes);
    expect(d.name).toBe('ERROR_INTERNET_CONNECTION_RESET');
    expect(d.message).toMatch(/reset/);
  });

  test.each([
    ['0x80190190', 400, 'Bad Request'], ['0x80190191', 401, 'Unauthorized'], ['0x80190193', 403, 'Forbidden'],
    ['0x80190194', 404, 'Not Found'], ['0x80190195', 405, 'Method Not Allowed'], ['0x80190197', 407, 'Proxy Authentication Required'],
    ['0x80190198', 408, 'Request Timeout'], ['0x8019019A', 410, 'Gone'], ['0x8019019D', 413, 'Content Too Large'], ['0x801901A0', 416, 'Range Not Satisfiable'],
    ['0x801901F4', 500, 'Internal Server Error'], ['0x801901F5', 501, 'Not Implemented'], ['0x801901F6', 502, 'Bad Gateway'],
    ['0x801901F7', 503, 'Service Unavailable'], ['0x801901F8', 504, 'Gateway Timeout'],
  ])('BITS %s is HTTP %i', (value, status, reason) => {
    const d = decodeCode(Number(value), kb.codes);
    expect(d.name).toBe(`BG_E_HTTP_ERROR_${status}`);
    expect(d.message).toMatch(new RegExp(`^HTTP status ${status}`));
    expect(d.notes.join(' ')).toContain(`HTTP status ${status} (${reason})`);
  });

  test.each([
    ['0x80090302', 'SEC_E_UNSUPPORTED_FUNCTION'], ['0x8009030A', 'SEC_E_QOP_NOT_SUPPORTED'], ['0x8009030C', 'SEC_E_LOGON_DENIED'],
    ['0x8009030E', 'SEC_E_NO_CREDENTIALS'], ['0x80090322', 'SEC_E_WRONG_PRINCIPAL'], ['0x80090325', 'SEC_E_UNTRUSTED_ROOT'],
    ['0x80090326', 'SEC_E_ILLEGAL_MESSAGE'], ['0x80090327', 'SEC_E_CERT_UNKNOWN'], ['0x80090328', 'SEC_E_CERT_EXPIRED'],
    ['0x80090331', 'SEC_E_ALGORITHM_MISMATCH'], ['0x80090349', 'SEC_E_CERT_WRONG_USAGE'], ['0x80090352', 'SEC_E_ISSUING_CA_UNTRUSTED'],
    ['0x800B0100', 'TRUST_E_NOSIGNATURE'], ['0x800B0101', 'CERT_E_EXPIRED'], ['0x800B0109', 'CERT_E_UNTRUSTEDROOT'],
    ['0x800B010A', 'CERT_E_CHAINING'], ['0x800B010F', 'CERT_E_CN_NO_MATCH'], ['0x800B0110', 'CERT_E_WRONG_USAGE'],
    ['0x800B0111', 'TRUST_E_EXPLICIT_DISTRUST'], ['0x800B0112', 'CERT_E_UNTRUSTEDCA'], ['0x800B0113', 'CERT_E_INVALID_POLICY'],
    ['0x800B0001', 'TRUST_E_PROVIDER_UNKNOWN'], ['0x80092013', 'CRYPT_E_REVOCATION_OFFLINE'], ['0x80094800', 'CERTSRV_E_UNSUPPORTED_CERT_TYPE'],
  ])('security and certificate code %s is %s, from winerror.h', (value, name) => {
    const d = decodeCode(Number(value), kb.codes);
    expect(d.name).toBe(name);
    expect(d.message?.length).toBeGreaterThan(10);
    expect(d.source).toMatch(/winerror\.h.*com-error-codes-4/);
  });

  test('Win32 errors come with their winerror.h name and system message', () => {
    expect(decodeCode(0x80070070, kb.codes)).toMatchObject({ name: 'ERROR_DISK_FULL', message: 'There is not enough space on the disk.' });
    expect(decodeCode(0x800705b4, kb.codes)).toMatchObject({ name: 'ERROR_TIMEOUT' });
    const d = decodeCode(0x80073712, kb.codes);
    expect(d.name).toBe('ERROR_SXS_COMPONENT_STORE_CORRUPT');
    expect(d.source).toMatch(/system-error-codes--12000-15999-/);
  });

  describe('ConfigMgr 0x87D0xxxx-0x87D2xxxx', () => {
    test.each([
      ['0x87D00607', /Content not found/], ['0x87D01201', /not enough available space in cache/], ['0x87D01202', /smaller than the size of the requested content/],
      ['0x87D00213', /Timeout occurred/], ['0x87D00215', /Item not found/], ['0x87D00324', /not detected after installation/], ['0x87D01106', /Failed to verify the executable/],
    ])('Microsoft documents %s', (value, message) => {
      const d = decodeCode(Number(value), kb.codes);
      expect(d.name).toBeNull();
      expect(d.message).toMatch(message);
      expect(d.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      expect(d.notes.join(' ')).not.toMatch(/community/i);
    });

    test.each([
      ['0x87D00664', /Updates handler job was canceled/], ['0x87D00668', /still detected as actionable after apply/],
      ['0x87D0027E', /Bad HTTP status code/], ['0x87D01012', /no program currently running/], ['0x87D00269', /management point not found/],
      ['0x87D20417', /Auto Deployment Rule download failed/],
    ])('only a community list explains %s, and the answer says so', (value, message) => {
      const d = decodeCode(Number(value), kb.codes);
      expect(d.name).toBeNull();
      expect(d.message).toMatch(message);
      expect(d.source).toMatch(/^community list, not Microsoft documentation: .*https:\/\/github\.com\/smcallister594\/scotscottmca\//);
      expect(d.notes[0]).toMatch(/^Community list, not Microsoft documentation/);
    });

    test('the Microsoft note of 0x87D0027E is kept beside the community text', () => {
      expect(decodeCode(0x87d0027e, kb.codes).notes.join(' ')).toMatch(/GetDirectoryList_HTTP/);
    });
  });

  test('every spelling a user types decodes to the same code', () => {
    for (const s of ['0x80190194', '80190194', '-2145844844', '2149122452', '0X80190194L', '80190194.', ' 0x80190194; ', 'Error 80190194', 'error code: 80190194']) {
      expect(lookupCodes(s, kb)[0]?.code).toBe('0x80190194');
    }
  });

  test('a code typed on its own is decoded even when it has the shape of a package ID', () => {
    expect(lookupCodes('C1900101', kb)[0]?.code).toBe('0xC1900101');
    expect(lookupCodes('C1900101.', kb)[0]?.code).toBe('0xC1900101');
  });
});

describe('the code table files', () => {
  test('every row of the real table has a source and no problems', () => {
    expect(realKb().problems.filter((p) => p.file.startsWith('kb/codes'))).toEqual([]);
    expect(realKb().kb.codes.size).toBeGreaterThan(3500);
  });

  test('a row from Microsoft or a header wins over a community row, whatever the file order', () => {
    const header = 'code\tname\tmessage\tsource\n';
    const { table, problems } = parseCodeTable([
      { name: 'kb/codes/a-community.tsv', text: `${header}0x87D00001\t\tCommunity text\tcommunity list, not Microsoft documentation: Some list, https://example.org/list\n0x87D00002\t\tOnly here\tcommunity list, not Microsoft documentation: Some list, https://example.org/list\n` },
      { name: 'kb/codes/b-microsoft.tsv', text: `${header}0x87D00001\t\tMicrosoft text\thttps://learn.microsoft.com/x\n` },
    ]);
    expect(problems).toEqual([]);
    const d1 = decodeCode(0x87d00001, table);
    expect(d1).toMatchObject({ message: 'Microsoft text', source: 'https://learn.microsoft.com/x', aliases: [] });
    expect(d1.notes.join(' ')).not.toMatch(/community/i);
    const d2 = decodeCode(0x87d00002, table);
    expect(d2.message).toBe('Only here');
    expect(d2.notes.join(' ')).toMatch(/Community list, not Microsoft documentation/);
  });

  test('a community row must name the list\'s https address', () => {
    const { problems } = parseCodeTable([{ name: 'kb/codes/x.tsv', text: 'code\tname\tmessage\tsource\n0x87D00001\t\tText\tcommunity list, not Microsoft documentation: a forum post\n' }]);
    expect(problems.map((p) => [p.line, p.code])).toEqual([[2, 'KB304']]);
  });

  test('malformed rows are reported with file, line and a fix', () => {
    const { problems } = parseCodeTable([{ name: 'kb/codes/x.tsv', text: 'code\tname\tmessage\tsource\n0x80091007\tCRYPT_E_HASH_VALUE\tThe hash value is not correct.\t\n80091007\tX\tY\twinerror.h\n0x80091007 CRYPT_E_HASH_VALUE\n' }]);
    expect(problems.map((p) => [p.line, p.code]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([[2, 'KB304'], [3, 'KB303'], [4, 'KB302']]);
  });
});
