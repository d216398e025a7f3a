import { describe, expect, test } from 'vitest';
import { diagnose, fixture } from '../helpers/kb';

/**
 * What the product must answer on the real log lines of the source articles
 * (test/fixtures/seeds/, verbatim).
 */
describe('the source documents', () => {
  test('000: the CAS.log excerpt → WebDAV drive-root entry, high, with the 0-files line as evidence', () => {
    const d = diagnose(fixture('seeds/000-cas-webdav-drive-root.log'));
    const [top] = d.matches;
    expect(top).toMatchObject({ id: 'webdav-drive-root-hash-mismatch', confidence: 'high' });
    expect(top?.evidence.map((e) => e.line)).toContain(7);
    expect(top?.evidence.find((e) => e.line === 7)?.text).toBe('There are 0 files in the directory compared to 1 expected files');
    expect(d.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['0x80091007', '0x8000401A', '0x80040215']));
  });

  test('001: execmgr/CAS lines → stale package source entry', () => {
    const d = diagnose(fixture('seeds/001-execmgr-cas-stale-content.log'));
    expect(d.matches[0]?.id).toBe('stale-package-source-hash-mismatch');
    expect(d.matches[0]?.resolution.join(' ')).toMatch(/Update Distribution Points/);
    expect(d.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['0x80091007', '0x80008602']));
  });

  test('002: SMSTS.log and IIS lines → request filtering, naming .config and OSDResults.exe.config', () => {
    const d = diagnose(fixture('seeds/002-smsts-iis-config-extension.log'));
    const [top] = d.matches;
    expect(top).toMatchObject({ id: 'iis-request-filtering-denied-extension', confidence: 'high' });
    expect(top?.values).toMatchObject({ extension: '.config', file: 'OSDResults.exe.config' });
    expect(top?.cause).toContain('`.config`');
    expect(top?.cause).toContain('OSDResults.exe.config');
    expect(top?.resolution.join('\n')).toContain('<add fileExtension=".config" allowed="true" />');
    expect(top?.evidence.map((e) => e.line)).toEqual(expect.arrayContaining([3, 6, 11]));
  });

  test('002: the bitsadmin output of the hung download → request filtering for .config', () => {
    const d = diagnose(fixture('seeds/002-bitsadmin-hang.txt'));
    expect(d.matches[0]).toMatchObject({ id: 'iis-request-filtering-denied-extension', confidence: 'high' });
    expect(d.matches[0]?.values['extension']).toBe('.config');
  });

  test('003: the SMSTS.log lines → multicast sparse-file entry, not a generic hash-mismatch entry', () => {
    const d = diagnose(fixture('seeds/003-smsts-multicast-sparse.log'));
    expect(d.matches[0]).toMatchObject({ id: 'wds-multicast-sparse-file-hash-mismatch', confidence: 'high' });
    const others = d.matches.slice(1).filter((m) => m.confidence === 'high');
    expect(others).toEqual([]);
  });

  test('004: BITS event 16384 and the HEAD … 404 7 line for a .ldf → request filtering naming .ldf', () => {
    const d = diagnose(fixture('seeds/004-event-iis-ldf.txt'));
    const [top] = d.matches;
    expect(top).toMatchObject({ id: 'iis-request-filtering-denied-extension', confidence: 'high' });
    expect(top?.values['extension']).toBe('.ldf');
    expect(top?.resolution.join('\n')).toContain('<add fileExtension=".ldf" allowed="true" />');
    expect(top?.evidence[0]).toMatchObject({ line: 6, signature: 'iis-log-404-7' });
    expect(d.matches.map((m) => m.id)).toContain('bits-ccmdts-job-cancelled');
  });

  test('0x80190194 alone → decoded as BG_E_HTTP_ERROR_404, HTTP 404', () => {
    const d = diagnose('0x80190194');
    expect(d.codes).toHaveLength(1);
    expect(d.codes[0]).toMatchObject({ code: '0x80190194', name: 'BG_E_HTTP_ERROR_404' });
    expect(d.codes[0]?.notes.join(' ')).toContain('HTTP status 404');
    expect(d.matches.filter((m) => m.confidence === 'high')).toEqual([]);
  });

  test('-2146889721 → 0x80091007, CRYPT_E_HASH_VALUE', () => {
    const d = diagnose('-2146889721');
    expect(d.codes[0]).toMatchObject({ code: '0x80091007', decimal: -2146889721, name: 'CRYPT_E_HASH_VALUE' });
  });

  test('"download stuck at 27% then restarts from the beginning" → the stalled-download symptom, request filtering first, nothing above low', () => {
    const d = diagnose('package download stuck at 27% then restarts from the beginning');
    expect(d.symptom?.id).toBe('download-stalled');
    expect(d.matches[0]?.id).toBe('iis-request-filtering-denied-extension');
    expect(d.matches.every((m) => m.confidence === 'low' && m.basis === 'family')).toBe(true);
    expect(d.symptom?.questions.map((q) => q.situation)).toContain('iis-404-7');
  });

  test.each([
    ['nginx access log', 'baseline/nginx-access.log'],
    ['healthy CAS.log', 'baseline/CAS.log'],
    ['healthy SMSTS.log', 'baseline/smsts.log'],
  ])('an unrelated or healthy log (%s) → no high-confidence match', (_name, file) => {
    const d = diagnose(fixture(file), file);
    expect(d.matches.filter((m) => m.confidence === 'high')).toEqual([]);
  });

  test('when nothing fits, the answer says so and still decodes the codes', () => {
    const d = diagnose('Something odd happened, error 0x80070652 while the installer ran');
    expect(d.matches.filter((m) => m.basis === 'signature')).toEqual([]);
    expect(d.codes[0]?.name).toBe('ERROR_INSTALL_ALREADY_RUNNING');
  });
});

test('a paste whose line breaks were lost still gets its answer, without word-guesses beside it', () => {
  const d = diagnose('Download failed for content PS100045.2 under context System, error 0x80091007 3/25/2010 12:31:21 AM 2096 (0x0830) There are 0 files in the directory compared to 1 expected files 3/25/2010 12:31:21 AM 2096 (0x0830) Hash matching failed.');
  expect(d.matches[0]).toMatchObject({ id: 'webdav-drive-root-hash-mismatch', confidence: 'high' });
  expect(d.matches.filter((m) => m.basis === 'search')).toEqual([]);
});
