import { describe, expect, test } from 'vitest';
import { LIKENESS_NOTE, renderTextReport } from '../../bot/render-text';
import { diagnose } from '../helpers/kb';
import { diagnosisCard } from '../../bot/cards';

/**
 * What a support channel sends most: a bare code, one log line, a sentence. Each gets the
 * symptom it shows with its causes most likely first (nothing above low), or, outside the
 * domain, a plain "I only know ConfigMgr content download problems".
 */
const causes = (text: string): string[] => diagnose(text).symptom?.causes.map((c) => c.id) ?? [];

describe('bare codes get the family answer, the decoded code first', () => {
  test.each([
    ['0x80091007', 'hash-mismatch'],
    ['-2146889721', 'hash-mismatch'],
    ['2148077575', 'hash-mismatch'],
    ['0x80190194', 'http-404'],
    ['0x80190191', 'http-401-403'],
    ['0x80190193', 'http-401-403'],
    ['0x801901F4', 'http-5xx'],
    ['0x801901F7', 'http-5xx'],
    ['80072ee2', 'connection-failure'],
    ['Error 80072EFD', 'connection-failure'],
    ['0x80072F8F', 'connection-failure'],
    ['0x87D00607', 'no-content-location'],
    ['0x80070005', 'access-denied'],
    ['0x80070002', 'content-files-missing'],
  ])('%s → %s', (code, family) => {
    const d = diagnose(code);
    expect(d.symptom?.id).toBe(family);
    expect(d.codes).toHaveLength(1);
    expect(d.codes[0]?.message).toBeTruthy();
    expect(d.matches.every((m) => m.confidence === 'low')).toBe(true);
    const report = renderTextReport(d);
    expect(report.indexOf('Error codes:')).toBeLessThan(report.indexOf('Symptom:'));
    expect(report).not.toContain('unknown name');
  });

  test('a code that names one cause exactly (cache smaller than the content) answers with that cause, the family as context', () => {
    const d = diagnose('0x87D01202');
    expect(d.symptom?.id).toBe('cache-space');
    expect(d.matches[0]).toMatchObject({ id: 'client-cache-too-small', basis: 'signature' });
    expect(d.symptom?.causes[0]?.id).toBe('client-cache-too-small');
  });

  test('a hash mismatch code alone: the common causes lead, the multicast ones are last-but-listed', () => {
    const order = causes('0x80091007');
    expect(order.slice(0, 2)).toEqual(['stale-package-source-hash-mismatch', 'content-altered-by-antivirus-or-disk']);
    expect(order).toContain('wds-multicast-sparse-file-hash-mismatch');
    expect(order.indexOf('wds-multicast-sparse-file-hash-mismatch')).toBeGreaterThan(3);
  });

  test('a 404 code alone: files missing on the DP first; "the IIS log shows 404 0" keeps it first', () => {
    expect(causes('0x80190194')[0]).toBe('content-library-or-package-share-missing-files');
    expect(causes('0x80190194 and the IIS log shows 404 0')[0]).toBe('content-library-or-package-share-missing-files');
    expect(causes('0x80190194, the IIS log shows 404 7 for the file')[0]).toBe('iis-request-filtering-denied-extension');
  });

  test('codes with no symbolic name still say what is known', () => {
    for (const code of ['0x80040215', '0x87D00607', '0x87D00664']) {
      const d = diagnose(code);
      expect(d.offTopic).toBe(false);
      expect(d.codes[0]?.message, code).toMatch(/\w{4,}/);
    }
  });
});

describe('one line or a sentence names the symptom', () => {
  test('the CAS.log hash line of the seed articles', () => {
    const d = diagnose('Hash does not match expected <Content ContentId="PS100245" Version="3"><FileContent Name="PS100245" Hash="0A1B2C" HashAlgorithm="SHA256" Size="9912320"/></Content>, actual');
    expect(d.symptom?.id).toBe('hash-mismatch');
    expect(d.matches.length).toBeGreaterThan(0);
  });

  test('the status message text of KB 907979 is a hash mismatch, not a cache problem', () => {
    const d = diagnose('The download failed because the content downloaded to the client does not match the content specified in the package source.');
    expect(d.symptom?.id).toBe('hash-mismatch');
    expect(d.matches[0]?.id).not.toMatch(/cache/);
  });

  test.each([
    ['hash verification failed for the package', 'hash-mismatch'],
    ['we get content mismatch errors on every client', 'hash-mismatch'],
    ['the hash value is incorrect', 'hash-mismatch'],
    ['404 errors in the IIS log on the distribution point', 'http-404'],
    ['clients stuck at downloading content 0%', 'download-stalled'],
    ['WaitingContent', 'download-stalled'],
  ])('%s → %s', (text, family) => {
    expect(diagnose(text).symptom?.id).toBe(family);
  });

  test('what the paste says moves the order: multicast, a fix already tried', () => {
    expect(causes('hash mismatch, the task sequence uses multicast')[0]).toMatch(/multicast/);
    expect(causes("hash mismatch, we don't use multicast")).not.toContain('wds-multicast-sparse-file-hash-mismatch');
    expect(causes('hash mismatch after changing the source files')[0]).toBe('stale-package-source-hash-mismatch');
    expect(causes("hash mismatch, Update Distribution Points didn't help")[0]).not.toBe('stale-package-source-hash-mismatch');
  });

  test('clients stuck at 0% are not told about BITS throttling first', () => {
    expect(causes('clients stuck at downloading content 0%')[0]).not.toBe('bits-throttling-or-policy');
  });

  test("a member's own evidence answers as today, with the family as context", () => {
    const d = diagnose('2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/db/data.ldf - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 7 0 15');
    expect(d.matches[0]).toMatchObject({ id: 'iis-request-filtering-denied-extension', confidence: 'high', basis: 'signature' });
    expect(d.symptom?.id).toBe('http-404');
    expect(d.symptom?.causes[0]?.id).toBe('iis-request-filtering-denied-extension');
    expect(d.symptom?.questions).toEqual([]);
  });
});

describe('the domain gate', () => {
  test.each([
    ['a Python traceback', 'Traceback (most recent call last):\n  File "/srv/app/bin/run.py", line 12, in <module>\n    main()\nFileNotFoundError: [Errno 2] No such file or directory'],
    ['an nginx access line with a 404', '203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /bin/app.config HTTP/1.1" 404 153 "-" "Mozilla/5.0"'],
    ['a ccmsetup exit code', 'ccmsetup failed with exit code 1603'],
    ['a PowerShell error', 'Get-Process : Cannot find a process with the name "notepad2". Verify the process name and call the cmdlet again.'],
    ['an installer log with a hash code', 'MSI (s) (A4:5C) [10:11:12:123]: Product: Contoso Agent -- Error 1330. A file that is required cannot be installed because the cabinet file has an invalid digital signature. 0x80091007'],
  ])('%s gets no KB entry', (_name, text) => {
    const d = diagnose(text);
    expect(d.offTopic).toBe(true);
    expect(d.matches).toEqual([]);
    expect(d.symptom).toBeNull();
    expect(renderTextReport(d)).toContain('I only know Configuration Manager content download problems');
  });

  test('the reply names the marker of the other product that put the text out', () => {
    const d = diagnose('MSI (s) (A4:5C) [10:11:12:123]: Product: Contoso Agent -- Error 1330. A file that is required cannot be installed because the cabinet file has an invalid digital signature. 0x80091007');
    expect(d.otherProduct).toBe('MSI (s)');
    expect(renderTextReport(d)).toContain('it holds "MSI (s)", a sign of another product or stack');
    expect(JSON.parse(JSON.stringify(diagnosisCard(d).card))).toMatchObject({ body: expect.arrayContaining([expect.objectContaining({ text: expect.stringContaining('it holds "MSI (s)"') })]) });
  });

  test('a text with nothing of the domain and no marker says so, and names no product', () => {
    const d = diagnose('ccmsetup failed with exit code 1603');
    expect(d.offTopic).toBe(true);
    expect(d.otherProduct).toBeUndefined();
    expect(renderTextReport(d)).toContain('this text has nothing of ConfigMgr content');
  });

  const otherJob = (line: string): string => [
    '2024-05-01 10:00:01 Starting backup job Nightly',
    '2024-05-01 10:00:02 Copying C:\\Data\\report.xlsx',
    line,
    '2024-05-01 10:00:04 Job finished with errors',
  ].join('\n');

  test('a family code that other products share, in a log with no word of the domain, is not a family answer', () => {
    const d = diagnose(otherJob('2024-05-01 10:00:03 Copy failed: 0x80070002 The system cannot find the file specified.'));
    expect(d.offTopic).toBe(true);
    expect(d.symptom).toBeNull();
  });

  test('the same code with an ordinary word of the domain, or a family named by its own words, stays in', () => {
    expect(diagnose(otherJob('2024-05-01 10:00:03 Copying package content failed: 0x80070002 The system cannot find the file specified.')).symptom?.id).toBe('content-files-missing');
    expect(diagnose(otherJob('2024-05-01 10:00:03 Hash does not match expected, retrying')).symptom?.id).toBe('hash-mismatch');
  });

  test('a family\'s shared phrase (Windows\' own message for its code) counts as the code does: alone it is another product\'s, with a word of the domain it stays', () => {
    const robocopy = [
      '                           4    c:\\src\\1803\\',
      '            New File                 128        autorun.inf',
      '2019/08/09 13:52:35 ERROR 5 (0x00000005) Copying File c:\\src\\1803\\autorun.inf',
      'Access is denied.',
    ].join('\n');
    const d = diagnose(robocopy);
    expect(d.offTopic).toBe(true);
    expect(d.symptom).toBeNull();
    expect(diagnose(otherJob('2024-05-01 10:00:03 The system cannot find the file specified.')).offTopic).toBe(true);
    expect(diagnose(otherJob('2024-05-01 10:00:03 Downloading package content: Access is denied.')).symptom?.id).toBe('access-denied');
    expect(diagnose('Failed to download content: The system cannot find the path specified.').symptom?.id).toBe('content-files-missing');
  });

  test('an empty paste is not off-topic, it is empty', () => {
    expect(diagnose('').offTopic).toBe(false);
  });
});

describe('a question that names no symptom, but reads like one family\'s causes', () => {
  test.each([
    ['When we send a package from the central site to the child site, the sender keeps retrying and the package never shows up at the secondary site', 'distribution-to-dp'],
    ['Clients download from the peer but the download never resumes after the peer goes offline', 'download-stalled'],
    ['PXE boot gets an IP address but then says no boot action for the device, we deleted the computer object already', 'pxe-boot'],
  ])('%s → %s, said to be a guess from the words', (question, familyId) => {
    const d = diagnose(question);
    expect(d.offTopic).toBe(false);
    expect(d.symptom?.id).toBe(familyId);
    expect(d.symptom?.namedFrom).toBe('likeness');
    expect(d.matches.length).toBeGreaterThan(0);
    expect(d.matches.every((m) => m.confidence === 'low' && m.basis === 'family')).toBe(true);
    const report = renderTextReport(d);
    expect(report).toContain(`[${familyId}]`);
    expect(report).toContain(LIKENESS_NOTE);
  });

  test('the entries the words fit best come first among the causes', () => {
    const d = diagnose('Clients download from the peer but the download never resumes after the peer goes offline');
    expect(d.matches[0]?.id).toBe('peer-cache-download-cannot-resume-before-2403');
  });

  test('a family named by the paste itself is not called a guess', () => {
    const d = diagnose('0x80091007');
    expect(d.symptom?.namedFrom).toBe('evidence');
    expect(renderTextReport(d)).not.toContain(LIKENESS_NOTE);
  });

  test('a paste an `unless` phrase places in another step gets no family from its words either', () => {
    const d = diagnose([
      'OSDSetupHook    Installing OSD setup hook',
      'OSDSetupHook    !shCmdFile.null(), HRESULT=80070005 (..\\vistasetuphook.cpp,96)',
      'OSDSetupHook    Failed to install the setup hook. Permissions on the requested may be configured incorrectly.',
      'Access is denied. (Error: 80070005; Source: Windows)',
      'OSDSetupHook    Failed to install OSD setup hook (0x80070005)',
      'TSManager    Failed to run the action: Setup Windows and ConfigMgr. Permissions on the requested may be configured incorrectly.',
      'Access is denied. (Error: 80070005; Source: Windows)',
    ].join('\n'));
    expect(d.symptom).toBeNull();
    expect(d.matches.every((m) => m.confidence === 'low')).toBe(true);
  });

  test('a question whose best entries belong to different families names none of them', () => {
    const d = diagnose('which client setting controls the cache size for applications');
    expect(d.symptom).toBeNull();
    expect(d.matches.every((m) => m.confidence === 'low')).toBe(true);
  });
});

describe('a proven cause names its family as context even when no line names the family', () => {
  test('IDispatch error #3603 proves the missing IIS 6 compatibility; the family is "content does not reach the DP"', () => {
    const d = diagnose('CWmi::PutObject(): PutInstance() failed. - 0x80041013\nERROR CreateApplicationPool: Failed with error = IDispatch error #3603');
    expect(d.matches[0]).toMatchObject({ id: 'dp-iis6-compatibility-missing-idispatch-3603', confidence: 'high', basis: 'signature' });
    expect(d.symptom?.id).toBe('distribution-to-dp');
    expect(d.symptom?.causes[0]?.id).toBe('dp-iis6-compatibility-missing-idispatch-3603');
    expect(d.symptom?.questions).toEqual([]);
    expect(renderTextReport(d)).toContain('This is one cause of the symptom "Content does not reach the distribution point');
  });
});

describe('placeholders with nothing extracted read as plain words', () => {
  test('no fallback word in code font', () => {
    const d = diagnose('0x80190194');
    for (const m of d.matches) {
      for (const step of [m.cause, ...m.resolution]) {
        expect(step, `${m.id}`).not.toMatch(/`(?:the hidden segment|like one of these|the file|the extension)`/);
      }
    }
  });
});
