import { describe, expect, it } from 'vitest';
import { lineTemplate, messageTemplate, pasteKey } from '../../capture/template';

/**
 * Log lines in the shapes the ConfigMgr client, the distribution point's IIS and bitsadmin
 * write them (see test/fixtures/baseline/README.md for where the shapes come from). Each test
 * varies what changes between machines and runs and checks that the template does not.
 */
const cas = (msg: string, time: string, thread: number, type = 1): string =>
  `<![LOG[${msg}]LOG]!><time="${time}+000" date="03-25-2026" component="ContentAccess" context="" type="${type}" thread="${thread}" file="downloadcontentrequest.cpp:1226">`;
const ctm = (msg: string, time: string, thread: number, type = 1): string =>
  `<![LOG[${msg}]LOG]!><time="${time}+000" date="11-30-2026" component="ContentTransferManager" context="" type="${type}" thread="${thread}" file="ctmjob.cpp:2240">`;

function allSame(lines: readonly string[]): string {
  const templates = new Set(lines.map(lineTemplate));
  expect([...templates]).toHaveLength(1);
  return [...templates][0] as string;
}

describe('lineTemplate: one shape, one template', () => {
  it('CAS.log: different job GUIDs, package IDs, versions, times and threads', () => {
    const t = allSame([
      cas('Submitted CTM job {9B65688A-84CD-4C2B-AD2B-1CB319D440BE} to download Content PS100012.2 under context System', '10:14:00.459', 4412),
      cas('Submitted CTM job {F3F134A2-AE00-4017-B566-2F58E6E4FA82} to download Content C0100978.14 under context System', '23:01:59.002', 812),
    ]);
    expect(t).toBe('[ContentAccess] Submitted CTM job <guid> to download Content <pkg>.<num> under context System');
  });

  it('CAS.log failures keep their code and mask the package', () => {
    const t = allSame([
      cas('Download failed for content PS100045.3 under context System, error 0x80070005', '09:12:44.120', 4120, 3),
      cas('Download failed for content PS1000A3.1 under context System, error 0x80070005', '16:40:02.907', 3388, 3),
    ]);
    expect(t).toContain('error 0x80070005');
    expect(t).toContain('<pkg>.<num>');
    // Another code is another problem.
    expect(lineTemplate(cas('Download failed for content PS100045.3 under context System, error 0x80070070', '09:12:44.120', 4120, 3))).not.toBe(t);
  });

  it('ContentTransferManager.log: real host names and redaction placeholders give the same URL shape', () => {
    const t = allSame([
      ctm("CTM job {538453D7-08CB-453D-A119-538C5B1C0006} (corresponding DTS job {212FDCFB-D647-4DCF-AAC8-216A0ABC006A}) started download from 'http://DP01.corp.contoso.com/SMS_DP_SMSPKG$/PS100045' for full content download.", '09:23:00.000', 4006),
      ctm("CTM job {0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D} (corresponding DTS job {7E2D9A10-33B4-4C1E-9F5A-2B7C8D9E0F11}) started download from 'http://<host-1>/SMS_DP_SMSPKG$/C0100978' for full content download.", '14:02:11.731', 2211),
      ctm("CTM job {11111111-2222-4333-8444-555555555555} (corresponding DTS job {66666666-7777-4888-9999-AAAAAAAAAAAA}) started download from 'http://<host-2>:80/SMS_DP_SMSPKGD$/PS100112' for full content download.", '01:00:00.000', 17),
    ]);
    expect(t).toContain("'http://<host>/SMS_DP_SMSPKG$/<path>'");
  });

  it('IIS W3C: date, time, addresses, user, package, file name and time-taken vary; method, extension and status do not', () => {
    const t = allSame([
      '2026-03-25 10:20:07 10.20.1.15 GET /SMS_DP_SMSPKG$/PS100031/Tools/OSDResults/OSDResults.exe.config - 80 - 10.20.30.41 SMS+TS 404 7 0 15',
      '2026-11-30 23:59:01 192.0.2.10 GET /SMS_DP_SMSPKG$/C0100978/setup.exe.config - 443 CORP\\WKS0510$ 198.51.100.23 SMS+TS 404 7 0 0',
      '2026-12-01 08:00:00 <address-1> GET /SMS_DP_SMSPKG$/PS100045/bin/App.config - 80 - <address-2> SMS+TS 404 7 0 1243',
    ]);
    expect(t).toBe('IIS GET /SMS_DP_SMSPKG$/<path>.config 404 7 0 SMS TS');
    // A plain missing file, and the same file served, are other shapes.
    const missing = lineTemplate('2026-03-25 10:20:07 10.20.1.15 GET /SMS_DP_SMSPKG$/PS100031/setup.exe - 80 - 10.20.30.41 SMS+TS 404 0 2 15');
    const served = lineTemplate('2026-03-25 10:20:07 10.20.1.15 GET /SMS_DP_SMSPKG$/PS100031/Tools/OSDResults/OSDResults.exe.config - 80 - 10.20.30.41 SMS+TS 200 0 0 31');
    expect(new Set([t, missing, served]).size).toBe(3);
    expect(missing).toContain('404 0 2');
  });

  it('bitsadmin: error file lines with other hosts and caches, and the error code line kept whole', () => {
    const t = allSame([
      'ERROR FILE: http://DP01.corp.contoso.com:80/SMS_DP_SMSPKG$/PS100031/Tools/OSDResults/OSDResults.exe.config -> C:\\Windows\\ccmcache\\1c\\Tools\\OSDResults\\OSDResults.exe.config',
      'ERROR FILE: http://<host-1>:80/SMS_DP_SMSPKG$/PS100077/Agent/Agent.dll.config -> C:\\Windows\\ccmcache\\3f\\Agent\\Agent.dll.config',
    ]);
    expect(t).toBe('ERROR FILE: http://<host>/SMS_DP_SMSPKG$/<path>.config -> <path>.config');
    expect(lineTemplate('ERROR CODE: 0x80190194 - HTTP status 404: The requested URL does not exist on the server.'))
      .toBe('ERROR CODE: 0x80190194 - HTTP status 404: The requested URL does not exist on the server.');
  });

  it('SMSTS.log (CMTrace clipboard copy): times, threads and package IDs vary', () => {
    const t = allSame([
      'Failed to resolve PackageID=PS100045, hr=0x80040104\tInstallSoftware\t3/25/2026 12:31:02 AM\t1588 (0x0634)',
      'Failed to resolve PackageID=C0100978, hr=0x80040104\tInstallSoftware\t11/30/2026 4:05:59 PM\t2212 (0x08A4)',
    ]);
    expect(t).toBe('[InstallSoftware] Failed to resolve PackageID=<pkg>, hr=0x80040104');
  });

  it('different shapes give different templates', () => {
    const started = lineTemplate(cas('Download started for content PS100012.2', '10:14:00.905', 5120));
    const completed = lineTemplate(cas('Download completed for content PS100012.2 under context System', '10:14:44.195', 3796));
    const otherComponent = lineTemplate(ctm('Download started for content PS100012.2', '10:14:00.905', 5120));
    expect(new Set([started, completed, otherComponent]).size).toBe(3);
  });
});

describe('messageTemplate: what is kept because it diagnoses', () => {
  it('keeps failure codes in every spelling, masks other hex', () => {
    expect(messageTemplate('GetDirectoryList_HTTP failed with 0x80072ee2 on thread (0x0830)')).toBe('GetDirectoryList_HTTP failed with 0x80072EE2 on thread (<hex>)');
    expect(messageTemplate('Error 80072EE2 while downloading')).toBe('Error 80072EE2 while downloading');
    expect(messageTemplate('hr = -2147024891')).toBe('hr = -2147024891');
    expect(messageTemplate('CacheManager: Cache has 5025792 KB free. Result 0x00000000')).toBe('CacheManager: Cache has <num> KB free. Result 0x00000000');
  });

  it('keeps HTTP statuses and event IDs, masks sizes and versions', () => {
    expect(messageTemplate('HTTP Error 404.7 - Not Found')).toBe('HTTP Error 404.7 - Not Found');
    expect(messageTemplate('The server returned HTTP status 403 for 60557783 bytes')).toBe('The server returned HTTP status 403 for <num> bytes');
    expect(messageTemplate('Event ID: 16392 BITS job 2.5.1 state')).toBe('Event ID: 16392 BITS job <num> state');
  });

  it('masks GUIDs, times, dates, IPs, SIDs, hashes, hosts, placeholders and paths (keeping the extension)', () => {
    expect(messageTemplate(
      'Job {EDA07EDB-8769-43FD-9AAD-B43E369A23AB} for S-1-5-21-1004336348-1177238915-682003330-512 at 2026-03-25T10:14:00.123Z from 10.20.1.15 '
      + 'hash C41D6C8969B5F9D14F3E6E8AF212BC1A899E66E3E58C7E27CD12AF6C97A99727 host DP01.corp.contoso.com user <user-3> file C:\\Windows\\ccmcache\\7\\setup.msi',
    )).toBe('Job <guid> for <sid> at <date> from <ip> hash <hex> host <host> user <user> file <path>.msi');
    expect(messageTemplate('CREATION TIME: 3/25/2026 10:20:00 AM')).toBe('CREATION TIME: <date> <time>');
    expect(messageTemplate('copy \\\\<host-1>\\SMSPKGD$\\PS100045\\x64\\Drivers.cab failed')).toBe('copy \\\\<host>\\<path>.cab failed');
  });

  it('costs linear time on hostile input: a megabyte line of path and hex fragments', () => {
    const hostile = 'a/'.repeat(200_000) + ' ' + '0x'.repeat(200_000) + ' ' + '<host-1'.repeat(50_000);
    const started = performance.now();
    const t = messageTemplate(hostile);
    for (const line of ['x' + '.,'.repeat(400_000) + 'x', 'S-1-5' + '-1'.repeat(300_000) + 'x', 'http://h/' + ')'.repeat(500_000) + 'a']) messageTemplate(line);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(t.length).toBeLessThan(1_100);
  });
});

describe('pasteKey', () => {
  const paste = (host: string, pkg: string, job: string, time: string): string => [
    ctm(`CTM job {${job}} (corresponding DTS job {212FDCFB-D647-4DCF-AAC8-216A0ABC006A}) started download from 'http://${host}/SMS_DP_SMSPKG$/${pkg}' for full content download.`, time, 4006),
    `<![LOG[DO job {212FDCFB-D647-4DCF-AAC8-216A0ABC006A} failed with error 0x80D02002 for content ${pkg}.3]LOG]!><time="${time}+000" date="11-30-2026" component="DataTransferService" context="" type="3" thread="5006" file="dtsdojob.cpp:918">`,
    ctm(`CTM job {${job}} failed to download content ${pkg}.3. Error 0x80D02002`, time, 4006, 3),
  ].join('\n');

  it('is the same for the same failure on two machines, and names its telling lines, codes and formats', () => {
    const a = pasteKey(paste('<host-1>', 'PS100045', '538453D7-08CB-453D-A119-538C5B1C0006', '09:23:00.000'));
    const b = pasteKey(paste('<host-2>', 'C0100978', '0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D', '17:45:31.210'));
    expect(a.key).toBe(b.key);
    expect(a.codes).toEqual(['0x80D02002']);
    expect(a.formats).toEqual(['cmtrace']);
    expect(a.templates).toEqual([
      '[ContentTransferManager] CTM job <guid> failed to download content <pkg>.<num>. Error 0x80D02002',
      '[DataTransferService] DO job <guid> failed with error 0x80D02002 for content <pkg>.<num>',
    ]);
    // The progress line is not telling; the two failures are, error lines first.
    expect(a.telling.map((t) => t.record.line)).toEqual([2, 3]);
  });

  it('differs when the code differs', () => {
    const a = pasteKey(paste('<host-1>', 'PS100045', '538453D7-08CB-453D-A119-538C5B1C0006', '09:23:00.000'));
    const c = pasteKey(paste('<host-1>', 'PS100045', '538453D7-08CB-453D-A119-538C5B1C0006', '09:23:00.000').replaceAll('0x80D02002', '0x80D05011'));
    expect(c.key).not.toBe(a.key);
  });

  it('leaves the IIS authentication handshake (401 2) out of telling lines and statuses', () => {
    const k = pasteKey([
      '2026-03-25 10:02:41 10.20.1.15 PROPFIND /SMS_DP_SMSPKG$/PS100009 - 80 - 10.20.32.19 SMS+CCM+5.0 - 401 2 5 0',
      '2026-03-25 10:02:42 10.20.1.15 GET /SMS_DP_SMSPKG$/PS100009/App_Data/settings.mdb - 80 CORP\\WKS0510$ 10.20.32.19 Microsoft+BITS/7.8 - 404 8 0 1',
    ].join('\n'));
    expect(k.statuses).toEqual(['404.8']);
    expect(k.templates).toEqual(['IIS GET /SMS_DP_SMSPKG$/<path>.mdb 404 8 0 Microsoft BITS/<num>']);
  });
});
