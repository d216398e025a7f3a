import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../matchers/facts/extract-facts';
import { createLogParser } from '../../matchers/parse/log-parser';
import type { FamilyDef, SymptomDefinitions } from '../../matchers/symptoms/definition';
import { differential } from '../../matchers/symptoms/differential';
import { isOffTopic } from '../../matchers/symptoms/domain-gate';
import { compileSymptoms, createSymptomObserver, type SymptomObservations } from '../../matchers/symptoms/observe';
import { proseHttp } from '../../matchers/symptoms/prose';
import { splitLines } from '../../matchers/split-lines';

/** A small family over made-up entry indexes: the core's rules, apart from the KB's content. */
const HASH: FamilyDef = {
  id: 'hash-mismatch',
  title: 'Hash mismatch',
  priority: 0,
  summary: 'The downloaded content differs from the package.',
  recognize: { codes: [0x80091007], http: [], text: ['hash does not match', 'hash verification failed'], shared: [], prose: [], unless: [], failuresIn: [], failuresAbout: [] },
  members: [
    { entryIndex: 0, weight: 50, confirm: 'The source changed.', requires: [], favoredBy: [], disfavoredBy: ['tried-update-dp'] },
    { entryIndex: 1, weight: 30, confirm: 'Antivirus acted on the content.', requires: [], favoredBy: ['antivirus'], disfavoredBy: [] },
    { entryIndex: 2, weight: 3, confirm: 'The deployment uses multicast.', requires: ['multicast'], favoredBy: [], disfavoredBy: [] },
  ],
  collect: ['CAS.log'],
};
const HTTP404: FamilyDef = {
  id: 'http-404', title: 'HTTP 404', summary: 'Not found.', priority: 0,
  recognize: { codes: [0x80190194], http: [{ status: 404 }], text: [], shared: [], prose: [], unless: [], failuresIn: [], failuresAbout: [] },
  members: [
    { entryIndex: 3, weight: 40, confirm: 'The file is missing.', requires: [], favoredBy: ['iis-404-0'], disfavoredBy: [] },
    { entryIndex: 4, weight: 30, confirm: 'The IIS log shows 404 7.', requires: ['iis-404-7'], favoredBy: [], disfavoredBy: [] },
  ],
  collect: ['The IIS log'],
};
const DEFS: SymptomDefinitions = {
  families: [HASH, HTTP404],
  situations: [
    { id: 'multicast', ask: 'Does the deployment use multicast?', phrases: ['multicast'], http: [], codes: [] },
    { id: 'antivirus', ask: 'Does antivirus scan the content folders?', phrases: ['antivirus', 'defender'], http: [], codes: [] },
    { id: 'tried-update-dp', ask: 'Did you already run Update Distribution Points?', phrases: ['update distribution points'], http: [], codes: [] },
    { id: 'iis-404-7', ask: 'Does the IIS log show 404 7?', phrases: [], http: [{ status: 404, substatus: 7 }], codes: [] },
    { id: 'iis-404-0', ask: 'Does the IIS log show 404 0?', phrases: [], http: [{ status: 404, substatus: 0 }], codes: [] },
  ],
  domain: { strong: ['configmgr', 'distribution point', 'sms_dp_smspkg$'], technology: ['pxe'], weak: ['package', 'download'], foreign: ['traceback (most recent call last)', 'msi (s)'] },
};
const compiled = compileSymptoms(DEFS);

function observe(text: string): SymptomObservations {
  const observer = createSymptomObserver(compiled);
  const parser = createLogParser({});
  for (const line of splitLines(text)) for (const r of parser.push(line)) observer.observe(r, extractFacts(r));
  for (const r of parser.end()) observer.observe(r, extractFacts(r));
  return observer.result();
}

const families = (o: SymptomObservations): string[] => o.families.map((f) => DEFS.families[f.index]?.id ?? '?');

describe('failures in a log name the family whatever their words', () => {
  const DIST: FamilyDef = {
    id: 'distribution-to-dp', title: 'Distribution failed', summary: 'The site could not put the content on the DP.', priority: 0,
    recognize: { codes: [], http: [], text: [], shared: [], prose: [], unless: [], failuresIn: ["DistMgr", "PkgXferMgr"], failuresAbout: [] },
    members: [{ entryIndex: 5, weight: 10, confirm: 'DistMgr.log shows it.', requires: [], favoredBy: [], disfavoredBy: [] }],
    collect: ['DistMgr.log'],
  };
  const dist = compileSymptoms({ ...DEFS, families: [DIST] });
  const seen = (text: string): boolean => {
    const observer = createSymptomObserver(dist);
    const parser = createLogParser({});
    for (const line of splitLines(text)) for (const r of parser.push(line)) observer.observe(r, extractFacts(r));
    for (const r of parser.end()) observer.observe(r, extractFacts(r));
    return observer.result().families.length > 0;
  };

  it('an error line of Distribution Manager, in any of the formats that name the component', () => {
    expect(seen('SMS_DISTRIBUTION_MANAGER 5112 (0x13f8) Error occurred. Performing error cleanup prior to returning.')).toBe(true);
    expect(seen('Cannot update the package AUS0001B in the package source, error = 8 $$<SMS_DISTRIBUTION_MANAGER><01-08-2013 10:04:14.394+300><thread=4540 (0x11BC)>')).toBe(true);
    expect(seen('The following is recorded in Distmgr.log:\n~Cannot update the package AUS0001B in the package source, error = 8')).toBe(true);
  });

  it('a status message of error severity names its component (straight or typographic quotes)', () => {
    expect(seen('STATMSG: ID=8211 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_PACKAGE_TRANSFER_MANAGER" SYS=P01SITE.CONTOSO.COM SITE=P01 PID=17252 TID=4712')).toBe(true);
    expect(seen('STATMSG: ID=8211 SEV=E LEV=M SOURCE=”SMS Server” COMP=”SMS\\_PACKAGE\\_TRANSFER\\_MANAGER” SYS=P01SITE')).toBe(true);
  });

  it('a failure that names the machinery (failures_about), and not the same words without a failure', () => {
    const about = compileSymptoms({ ...DEFS, families: [{ ...DIST, recognize: { ...DIST.recognize, failuresIn: [], failuresAbout: ['sms_site', 'instruction file'] } }] });
    const named = (text: string): boolean => {
      const observer = createSymptomObserver(about);
      const parser = createLogParser({});
      for (const line of splitLines(text)) for (const r of parser.push(line)) observer.observe(r, extractFacts(r));
      return observer.result().families.length > 0;
    };
    expect(named('Error during WNetAddConnection2 to \\\\DSSMS\\SMS_SITE (67).')).toBe(true);
    expect(named('The despooler cannot open the instruction file.')).toBe(true);
    expect(named('found ready instruction file for 1000tS01.ins')).toBe(false);
    expect(named('Instruction file processed successfully, 0 failed')).toBe(false);
  });

  it('not healthy lines, information status messages, other components, or the same words with no log', () => {
    expect(seen('SMS_DISTRIBUTION_MANAGER 5800 (0x16a8) ~Successfully created RDC signatures for package PackageID version 1')).toBe(false);
    expect(seen('SMS_DISTRIBUTION_MANAGER 5800 (0x16a8) STATMSG: ID=2301 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_DISTRIBUTION_MANAGER" SYS=CS1SITE')).toBe(false);
    expect(seen('STATMSG: ID=7913 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_OFFLINE_SERVICING_MANAGER" SYS=CM1')).toBe(false);
    expect(seen('SMS_PACKAGE_TRANSFER_MANAGER 3020 (0xbcc) ~Sending completed successfully')).toBe(false);
    expect(seen('Error occurred. Performing error cleanup prior to returning.')).toBe(false);
  });
});

describe('HTTP statuses in prose', () => {
  it.each([
    ['we see 404 errors in the IIS log', [{ status: 404 }]],
    ['the IIS log shows 404 0 for the file', [{ status: 404, substatus: 0 }]],
    ['clients get 403 forbidden from the DP', [{ status: 403 }]],
    ['HTTP 500.19 on the distribution point', [{ status: 500, substatus: 19 }]],
    ['it returned 503 service unavailable', [{ status: 503 }]],
  ])('%s', (text, want) => {
    expect(proseHttp(text)).toEqual(want);
  });

  it.each([
    'the package is 404 MB',
    'build 4040 of the client',
    'port 443 and 8530 are open',
    'ID 500 of 1000',
  ])('reads no status in "%s"', (text) => {
    expect(proseHttp(text)).toEqual([]);
  });
});

describe('recognising a symptom family', () => {
  it('from a code in any spelling, a phrase, or a status', () => {
    expect(families(observe('0x80091007'))).toEqual(['hash-mismatch']);
    expect(families(observe('-2146889721'))).toEqual(['hash-mismatch']);
    expect(families(observe('Hash verification failed for content PS100245.3'))).toEqual(['hash-mismatch']);
    expect(families(observe('clients get 404 errors from the distribution point'))).toEqual(['http-404']);
    expect(families(observe('2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/x.cab - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 0 0 15'))).toEqual(['http-404']);
  });

  it('not from a phrase inside a longer word or a healthy line', () => {
    expect(families(observe('Hash verification succeeded for content PS100245.3'))).toEqual([]);
    expect(families(observe('download took 404 seconds'))).toEqual([]);
  });

  it('keeps the first lines that named it as evidence', () => {
    const o = observe('line one\nHash does not match expected <Content ContentId="PS1"/>, actual\nDownload failed, error 0x80091007');
    expect(o.families[0]?.records).toBe(2);
    expect(o.families[0]?.evidence.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('situations in prose, with negation', () => {
  it('a plain mention establishes it; a negated one its opposite', () => {
    expect(observe('hash mismatch on a multicast deployment').situations.get('multicast')).toBe(true);
    expect(observe("we don't use multicast at all").situations.get('multicast')).toBe(false);
    expect(observe('not using multicast, plain download').situations.get('multicast')).toBe(false);
    expect(observe('no multicast here').situations.get('multicast')).toBe(false);
  });

  it('a fix that "did not help" was still tried', () => {
    expect(observe("Update Distribution Points didn't help").situations.get('tried-update-dp')).toBe(true);
    expect(observe("I haven't tried update distribution points yet").situations.get('tried-update-dp')).toBe(false);
  });

  it('from evidence: an IIS substatus establishes its situation', () => {
    expect(observe('the IIS log shows 404 7 for the file').situations.get('iis-404-7')).toBe(true);
  });
});

describe('the differential', () => {
  const rank = (known: [string, boolean][], evidence: [number, 'high' | 'medium' | 'low'][] = []) => differential({
    family: HASH, situations: DEFS.situations, known: new Map(known), evidence: new Map(evidence), relevance: new Map(),
  });

  it('orders causes by commonness when nothing else is known, and asks what splits them best', () => {
    const d = rank([]);
    expect(d.causes.map((c) => c.member.entryIndex)).toEqual([0, 1, 2]);
    expect(d.causes.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1);
    expect(d.questions[0]?.situation).toBe('tried-update-dp');
    expect(d.questions.map((q) => q.situation)).toContain('multicast');
  });

  it('a fix already tried lowers its cause; a favoured situation raises one', () => {
    expect(rank([['tried-update-dp', true]]).causes[0]?.member.entryIndex).toBe(1);
    expect(rank([['antivirus', true]]).causes[0]?.member.entryIndex).toBe(1);
  });

  it('a required situation that holds lifts a rare cause; one that does not rules it out', () => {
    expect(rank([['multicast', true]]).causes[0]?.member.entryIndex).toBe(2);
    const out = rank([['multicast', false]]);
    expect(out.causes.map((c) => c.member.entryIndex)).toEqual([0, 1]);
    expect(out.ruledOut.map((m) => m.entryIndex)).toEqual([2]);
    expect(out.questions.map((q) => q.situation)).not.toContain('multicast');
  });

  it("a member's own partial evidence counts", () => {
    expect(rank([], [[2, 'medium']]).causes[0]?.member.entryIndex).toBe(2);
  });

  it('asks nothing when one cause is left', () => {
    const one = differential({ family: HTTP404, situations: DEFS.situations, known: new Map([['iis-404-7', false]]), evidence: new Map(), relevance: new Map() });
    expect(one.causes).toHaveLength(1);
    expect(one.questions).toEqual([]);
  });
});

describe('the domain gate', () => {
  const signals = { familySeen: false, signatureMatch: false, provenMatch: false, anyCode: false, domainCode: false, configMgrCode: false, bareCode: false, searchHit: false };
  it('a domain term keeps a text in, whatever else it holds', () => {
    expect(isOffTopic(observe('ConfigMgr client, Traceback (most recent call last):'), signals)).toBe(false);
  });
  it('a marker of another product with no domain term takes it out, even with a family code', () => {
    const o = observe('MSI (s) (A4:5C) [10:11:12:123]: Note: 1: 2262 error 0x80091007');
    expect(isOffTopic(o, { ...signals, familySeen: true, anyCode: true })).toBe(true);
  });
  it('a bare family code is in; a sentence with nothing of the domain is out', () => {
    expect(isOffTopic(observe('0x80091007'), { ...signals, familySeen: true, anyCode: true, bareCode: true })).toBe(false);
    expect(isOffTopic(observe('ccmsetup failed with exit code 1603'), signals)).toBe(true);
  });
  it('ordinary domain words count only with something the KB knows', () => {
    expect(isOffTopic(observe('the package download is slow'), signals)).toBe(true);
    expect(isOffTopic(observe('the package download is slow'), { ...signals, searchHit: true })).toBe(false);
  });
});
