import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { redact } from '../../capture/redact';
import secretRules from '../../capture/secret-rules.json';

/**
 * Redaction on the text users actually paste: CMTrace lines, IIS W3C lines, bitsadmin output,
 * event-log text and SMSTS lines. Each test says what must be gone, what must stay, and what the
 * KB author reading the sample is told was replaced.
 */

/** A CMTrace record the way CAS.log, LocationServices.log and SMSTS.log write it. */
const cmtrace = (message: string, component = 'ContentAccess', file = 'contentaccess.cpp:611'): string =>
  `<![LOG[${message}]LOG]!><time="10:14:00.413+000" date="03-25-2026" component="${component}" context="" type="3" thread="4412" file="${file}">`;

describe('ConfigMgr client logs', () => {
  test('LocationServices.log: the DP host goes, the URL path, package ID and fields stay', () => {
    const line = cmtrace(
      "Distribution Point='http://dp01.contoso.com/SMS_DP_SMSPKG$/PS100045', Locality='LOCAL', DPType='SERVER', Version='9128', Capabilities='<Capabilities SchemaVersion=\"1.0\"><Property Name=\"SSLState\" Value=\"0\"/></Capabilities>', Signature='http://dp01.contoso.com/SMS_DP_SMSSIG$/PS100045.1.tar', ForestTrust='TRUE',",
      'LocationServices', 'lsad.cpp:4500',
    );
    const r = redact(line);
    expect(r.text).toContain("Distribution Point='http://<host-1>/SMS_DP_SMSPKG$/PS100045', Locality='LOCAL', DPType='SERVER', Version='9128'");
    expect(r.text).toContain("Signature='http://<host-1>/SMS_DP_SMSSIG$/PS100045.1.tar'");
    expect(r.text).toContain('component="LocationServices"');
    expect(r.text).toContain('file="lsad.cpp:4500"');
    expect(r.text).toContain('time="10:14:00.413+000" date="03-25-2026"');
    expect(r.text).not.toMatch(/dp01|contoso/i);
    expect(r.replaced).toEqual({ host: 1 });
    expect(r.summary).toBe('1 host');
  });

  test('LocationServices.log: the AD site, forest, MP, client address and subnet go; the site versions stay', () => {
    const text = [
      cmtrace('Current AD site of machine is London-HQ', 'LocationServices', 'lsad.cpp:1133'),
      cmtrace('Current AD forest name is corp.contoso.com, domain name is corp.contoso.com', 'LocationServices', 'lsad.cpp:1150'),
      cmtrace('Retrieved local Management Point list from the assigned MP: http://MP01.corp.contoso.com', 'LocationServices', 'lsmgmtpoint.cpp:1342'),
      cmtrace('ContentLocationRequest : <ContentLocationRequest SchemaVersion="1.00"><Package ID="PS100045" Version="2"/><ClientLocationInfo><IPAddresses><IPAddress SubnetAddress="10.20.30.0" Address="10.20.30.41"/></IPAddresses></ClientLocationInfo></ContentLocationRequest>', 'ContentTransferManager', 'ctmjob.cpp:1262'),
      cmtrace('Site PS1 is compatible with this client (site version 5.00.9128.1000, client version 5.00.9128.1007)', 'LocationServices', 'lssitecompat.cpp:262'),
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('Current AD forest name is <host-1>, domain name is <host-1>]');
    expect(r.text).toContain('from the assigned MP: http://<host-2>]');
    expect(r.text).toContain('<IPAddress SubnetAddress="<ip-1>" Address="<ip-2>"/>');
    expect(r.text).toContain('<Package ID="PS100045" Version="2"/>');
    expect(r.text).toContain('(site version 5.00.9128.1000, client version 5.00.9128.1007)');
    expect(r.text).toContain('Current AD site of machine is <site-1>]');
    expect(r.summary).toBe('2 hosts, 2 addresses, 1 AD site');
  });

  test('CAS.log: the SID of the user context goes, the error code, package and content stay; well-known SIDs stay', () => {
    const text = [
      cmtrace('Requesting content PS100045.2, size(KB) 59139, under context S-1-5-21-1004336348-1177238915-682003330-1103 with priority Medium'),
      cmtrace('Requesting content PS100012.2, size(KB) 59139, under context S-1-5-18 with priority Medium'),
      cmtrace('Download failed for content Content_7b0b6e1c-1d52-4bd2-a2a0-0a6e3c0f6b8e.1 under context S-1-5-21-1004336348-1177238915-682003330-1103, error 0x80070005 (-2147024891)'),
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('under context <sid-1> with priority Medium');
    expect(r.text).toContain('under context S-1-5-18 with priority');
    expect(r.text).toContain('Download failed for content Content_7b0b6e1c-1d52-4bd2-a2a0-0a6e3c0f6b8e.1 under context <sid-1>, error 0x80070005 (-2147024891)');
    expect(r.text).not.toContain('1004336348');
    expect(r.summary).toBe('1 SID');
  });

  test('ContentTransferManager.log and DataTransferService.log: URL hosts go with their ports kept', () => {
    const text = [
      cmtrace("DTSJob {EDA07EDB-8769-43FD-9AAD-B43E369A23AB} created to download from 'http://DP01.corp.contoso.com/SMS_DP_SMSPKG$/PS100012' to 'C:\\WINDOWS\\ccmcache\\7'.", 'DataTransferService', 'dtsjobmanager.cpp:510'),
      cmtrace('Sending PROPFIND request using URL https://dp02.corp.contoso.com:443/SMS_DP_SMSPKG$/PS100012', 'DataTransferService', 'ccmhttpget.cpp:302'),
      cmtrace('Error sending DAV request. HTTP code 401, status \'Unauthorized\'', 'DataTransferService', 'ccmhttpget.cpp:1200'),
      cmtrace('Raising event on failure for DP http://10.20.1.15/SMS_DP_SMSPKG$/PS100012 and http://[fe80::1c2d:3e4f:5a6b:7c8d]:80/SMS_DP_SMSPKG$/PS100012', 'DataTransferService', 'dtsjob.cpp:1400'),
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain("download from 'http://<host-1>/SMS_DP_SMSPKG$/PS100012' to 'C:\\WINDOWS\\ccmcache\\7'");
    expect(r.text).toContain('using URL https://<host-2>:443/SMS_DP_SMSPKG$/PS100012]');
    expect(r.text).toContain("HTTP code 401, status 'Unauthorized'");
    expect(r.text).toContain('for DP http://<ip-1>/SMS_DP_SMSPKG$/PS100012 and http://[<ip-2>]:80/SMS_DP_SMSPKG$/PS100012');
    expect(r.text).toContain('{EDA07EDB-8769-43FD-9AAD-B43E369A23AB}');
    expect(r.summary).toBe('2 hosts, 2 addresses');
  });

  test('SMSTS.log: UNC paths lose the server and keep the share and folders', () => {
    const text = [
      'Failed to connect to "\\\\SCCM01\\SMS_PS1\\OSD\\lib\\Packages" (53).\tApplyOperatingSystem\t3/25/2026 11:02:10 AM\t2244 (0x08C4)',
      'Connecting to "\\\\sccm01.corp.local\\SCCMContentLib$\\FileLib\\ABCD" returned 0x80070035\tTSManager\t3/25/2026 11:02:11 AM\t1680 (0x0690)',
      '<![LOG[Set a global environment variable _SMSTSLogPath=X:\\Windows\\TEMP\\SMSTSLog]LOG]!><time="11:02:10.250+000" date="03-25-2026" component="TSManager" context="" type="1" thread="1680" file="executionenv.cxx:668">',
      'SMS_DISTRIBUTION_MANAGER 5112 (0x13f8) Failed to make a network connection to \\\\DPNAME.CONTOSO.COM\\ADMIN$ (0x35).~',
      'Taking package snapshot for package PS100045 from source \\\\10.1.1.5\\Sources$\\Apps\\Reader',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('Failed to connect to "\\\\<host-1>\\SMS_PS1\\OSD\\lib\\Packages" (53).');
    expect(r.text).toContain('Connecting to "\\\\<host-2>\\SCCMContentLib$\\FileLib\\ABCD" returned 0x80070035');
    expect(r.text).toContain('_SMSTSLogPath=X:\\Windows\\TEMP\\SMSTSLog');
    expect(r.text).toContain('network connection to \\\\<host-3>\\ADMIN$ (0x35).~');
    expect(r.text).toContain('from source \\\\<ip-1>\\Sources$\\Apps\\Reader');
    expect(r.text).not.toMatch(/sccm01|dpname|10\.1\.1\.5/i);
    expect(r.summary).toBe('3 hosts, 1 address');
  });

  test('NetBIOS names named by their field, and the same name wherever else it appears', () => {
    const text = [
      cmtrace("WSUS Path='http://SUP01:8530', Server='SUP01', Version='112'", 'LocationServices', 'lsad.cpp:2000'),
      'STATMSG: ID=2301 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_DISTRIBUTION_MANAGER" SYS=SCCM01 SITE=PS1 PID=2312 TID=4512',
      'Successfully queued event on HTTP/HTTPS failure for server DP02; DP: DP02 MP: MP01',
      '<ServerRemoteName>DP03</ServerRemoteName><ServerName>DP03</ServerName>',
      'The client could not reach DP02 and MP01 answered 503',
      'Windows Server 2012 R2 distribution point; the server returned HTTP 500; Internal Server Error',
      'ccmsetup.exe /mp:SCCM01 SMSSITECODE=PS1 SMSMP=MP01 /source:\\\\SCCM01\\Client',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain("WSUS Path='http://<host-1>:8530', Server='<host-1>', Version='112'");
    expect(r.text).toContain('SYS=<host-2> SITE=PS1');
    expect(r.text).toContain('failure for server <host-3>; DP: <host-3> MP: <host-4>');
    expect(r.text).toContain('<ServerRemoteName><host-5></ServerRemoteName><ServerName><host-5></ServerName>');
    expect(r.text).toContain('The client could not reach <host-3> and <host-4> answered 503');
    expect(r.text).toContain('Windows Server 2012 R2 distribution point; the server returned HTTP 500; Internal Server Error');
    expect(r.text).toContain('ccmsetup.exe /mp:<host-2> SMSSITECODE=PS1 SMSMP=<host-4> /source:\\\\<host-2>\\Client');
    expect(r.summary).toBe('5 hosts');
  });

  test('Microsoft service hosts and localhost stay; customer labels under Azure suffixes go, the suffix stays', () => {
    const text = [
      'Downloading http://download.windowsupdate.com/c/msdownload/update/software/secu/2026/03/windows10.0-kb5035845-x64.cab',
      'WUAHandler: https://login.microsoftonline.com/ and http://localhost:8005/ and http://127.0.0.1/',
      'CMG https://contoso-cmg.contoso.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927942/SMS_DP_SMSPKG$/PS100045 and https://contosocdp.blob.core.windows.net/pkgs',
      'tenant contoso.onmicrosoft.com',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('http://download.windowsupdate.com/c/msdownload/update/software/secu/2026/03/windows10.0-kb5035845-x64.cab');
    expect(r.text).toContain('https://login.microsoftonline.com/ and http://localhost:8005/ and http://127.0.0.1/');
    expect(r.text).toContain('https://<host-1>.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927942/SMS_DP_SMSPKG$/PS100045');
    expect(r.text).toContain('https://<host-2>.blob.core.windows.net/pkgs');
    expect(r.text).toContain('tenant <host-3>.onmicrosoft.com');
    expect(r.summary).toBe('3 hosts');
  });
});

describe('IIS W3C log lines', () => {
  const header = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

  test('s-ip, c-ip, cs-username and the referer host go; method, path, statuses and timing stay', () => {
    const text = [
      header,
      '2026-03-25 10:02:41 10.20.1.15 PROPFIND /SMS_DP_SMSPKG$/PS100009 - 80 CORP\\WKS0510$ 10.20.32.19 SMS+CCM+5.0 - 207 0 0 46',
      '2026-03-25 10:02:42 10.20.1.15 HEAD /SMS_DP_SMSPKGE$/ABC00123/bin/helper.dll - 80 jdoe 2001:db8:10:20::19 Microsoft+BITS/7.8 - 404 8 0 109',
      '2026-03-25 10:02:43 10.20.1.15 GET /iisstart.png - 80 - 10.20.1.5 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+Chrome/134.0.0.0+Edg/134.0.0.0 http://dp01.corp.contoso.com/iisstart.htm 304 0 0 0',
    ].join('\n');
    const r = redact(text);
    const lines = r.text.split('\n');
    expect(lines[0]).toBe(header);
    expect(lines[1]).toBe('2026-03-25 10:02:41 <ip-1> PROPFIND /SMS_DP_SMSPKG$/PS100009 - 80 <domain-1>\\<host-1>$ <ip-2> SMS+CCM+5.0 - 207 0 0 46');
    expect(lines[2]).toBe('2026-03-25 10:02:42 <ip-1> HEAD /SMS_DP_SMSPKGE$/ABC00123/bin/helper.dll - 80 <user-1> <ip-3> Microsoft+BITS/7.8 - 404 8 0 109');
    expect(lines[3]).toContain('Chrome/134.0.0.0+Edg/134.0.0.0 http://<host-2>/iisstart.htm 304 0 0 0');
    expect(r.summary).toBe('2 hosts, 4 addresses, 1 user, 1 domain');
  });

  test('a line without its #Fields header is read in IIS default field order', () => {
    const r = redact('2010-06-21 14:02:11 10.1.1.20 GET /SMS_DP_SMSPKGE$/ABC00123/x.config - 80 jsmith 10.1.5.33 Microsoft+BITS/7.5 - 404 7 0 156');
    expect(r.text).toBe('2010-06-21 14:02:11 <ip-1> GET /SMS_DP_SMSPKGE$/ABC00123/x.config - 80 <user-1> <ip-2> Microsoft+BITS/7.5 - 404 7 0 156');
    expect(r.summary).toBe('2 addresses, 1 user');
  });
});

describe('bitsadmin output and event-log text', () => {
  test('bitsadmin /list /verbose: the owner, the proxy and the DP go; the job, states and files stay', () => {
    const text = [
      "GUID: {6D961C24-E249-418C-82AE-813B82801BBA} DISPLAY: 'CCMDTS Job'",
      'TYPE: DOWNLOAD STATE: TRANSIENT_ERROR OWNER: CORP\\jdoe',
      'PROXY USAGE: OVERRIDE PROXY LIST: proxy01:8080 PROXY BYPASS LIST: NULL',
      'ERROR FILE:    http://DP01.corp.contoso.com:80/SMS_DP_SMSPKG$/Content_7b0b6e1c-1d52-4bd2-a2a0-0a6e3c0f6b8e.1/sccm?/setup.exe -> C:\\WINDOWS\\ccmcache\\8\\setup.exe',
      'ERROR CODE:    0x80190194 - HTTP status 404: The requested URL does not exist on the server.',
      'TYPE: DOWNLOAD STATE: TRANSFERRED OWNER: NT AUTHORITY\\SYSTEM',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('OWNER: <domain-1>\\<user-1>');
    expect(r.text).toContain('PROXY USAGE: OVERRIDE PROXY LIST: <host-1>:8080 PROXY BYPASS LIST: NULL');
    expect(r.text).toContain('http://<host-2>:80/SMS_DP_SMSPKG$/Content_7b0b6e1c-1d52-4bd2-a2a0-0a6e3c0f6b8e.1/sccm?/setup.exe -> C:\\WINDOWS\\ccmcache\\8\\setup.exe');
    expect(r.text).toContain('ERROR CODE:    0x80190194 - HTTP status 404');
    expect(r.text).toContain('OWNER: NT AUTHORITY\\SYSTEM');
    expect(r.text).toContain("{6D961C24-E249-418C-82AE-813B82801BBA} DISPLAY: 'CCMDTS Job'");
    expect(r.summary).toBe('2 hosts, 1 user, 1 domain');
  });

  test('BITS event: Computer and User go; the event, the job and the process path stay', () => {
    const text = [
      'Log Name:      Microsoft-Windows-Bits-Client/Operational',
      'Source:        Microsoft-Windows-Bits-Client',
      'Date:          3/25/2026 10:20:00 AM',
      'Event ID:      16403',
      'User:          CONTOSO\\j.smith',
      'Computer:      WKS0421',
      'Description:',
      'The transfer job is complete. User: SYSTEM, Transfer job: CCMDTS Job, Job ID: {6D961C24-E249-418C-82AE-813B82801BBA}, Owner: NT AUTHORITY\\SYSTEM, Process Path: C:\\Windows\\CCM\\CcmExec.exe',
      'Computer:      WKS0421.corp.contoso.com',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('User:          <domain-1>\\<user-1>');
    expect(r.text).toContain('Computer:      <host-1>\n');
    expect(r.text).toMatch(/Computer: {6}<host-2>$/);
    expect(r.summary).toBe('2 hosts, 1 user, 1 domain');
    expect(r.text).not.toContain('WKS0421');
    expect(r.text).toContain('Event ID:      16403');
    expect(r.text).toContain('User: SYSTEM, Transfer job: CCMDTS Job');
    expect(r.text).toContain('Owner: NT AUTHORITY\\SYSTEM, Process Path: C:\\Windows\\CCM\\CcmExec.exe');
  });
});

describe('user names', () => {
  test('profile paths keep everything but the name; shared profiles stay', () => {
    const text = [
      'Log file C:\\Users\\jdoe\\AppData\\Local\\Temp\\ccmsetup.log could not be opened (0x80070020)',
      'Running "C:\\Users\\John Smith\\Downloads\\setup.exe" /q',
      'Copied to C:\\Users\\Public\\Documents\\agent.msi and C:\\Users\\Default\\NTUSER.DAT',
      'Source folder C:\\Documents and Settings\\asmith\\Desktop',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('Log file C:\\Users\\<user-1>\\AppData\\Local\\Temp\\ccmsetup.log could not be opened (0x80070020)');
    expect(r.text).toContain('Running "C:\\Users\\<user-2>\\Downloads\\setup.exe" /q');
    expect(r.text).toContain('C:\\Users\\Public\\Documents\\agent.msi and C:\\Users\\Default\\NTUSER.DAT');
    expect(r.text).toContain('C:\\Documents and Settings\\<user-3>\\Desktop');
    expect(r.summary).toBe('3 users');
  });

  test('UPNs and e-mail addresses go; a user named in a field goes wherever else it appears', () => {
    const r = redact('Signed in as j.doe@contoso.com (UPN JDoe@corp.contoso.com); username=svc-cmnaa; retrying as svc-cmnaa');
    expect(r.text).toBe('Signed in as <email-1> (UPN <email-2>); username=<user-1>; retrying as <user-1>');
    expect(r.summary).toBe('1 user, 2 e-mail addresses');
  });

  test('relative, registry and WMI paths are not read as DOMAIN\\user', () => {
    const text = 'Opened HKLM\\SOFTWARE and root\\ccm, copied ccmcache\\8 and Config\\settings.xml from SMS_DP_SMSPKG$\\PS100012 to PS100045\\bin';
    const r = redact(text);
    expect(r.text).toBe(text);
    expect(r.summary).toBe('nothing replaced');
  });
});

describe('secrets and certificates', () => {
  test('storage keys, SAS signatures, passwords and Bearer tokens go; the keys that name them stay', () => {
    const text = [
      'CloudDP: DefaultEndpointsProtocol=https;AccountName=contosostore;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9v+/==;EndpointSuffix=core.windows.net',
      'GET https://contosostore.blob.core.windows.net/content/PS100045/setup.exe?sv=2021-08-06&ss=b&srt=o&sp=r&se=2026-04-01T00:00:00Z&sig=Q2xpZW50U2VjcmV0VmFsdWUxMjM0NTY3ODkwYWJjZGVm%3D returned 403',
      'Data Source=SQL01;Initial Catalog=CM_PS1;User ID=sa;Password=P@ssw0rd!2026;',
      'Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvbnRvc28iLCJpc3MiOiJodHRwcyJ9.c2lnbmF0dXJlLXZhbHVlLTEyMzQ1Njc4OTA',
      'Proxy http://svc-proxy:Winter2026@proxy.corp.contoso.com:8080/ refused the request with 407',
      'Endpoint=sb://contoso-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkwYWJjZA==',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('AccountName=<user-1>;AccountKey=<secret-1>;EndpointSuffix=core.windows.net');
    expect(r.text).toContain('https://<host-1>.blob.core.windows.net/content/PS100045/setup.exe?sv=2021-08-06&ss=b&srt=o&sp=r&se=2026-04-01T00:00:00Z&sig=<secret-2> returned 403');
    expect(r.text).toContain('Data Source=<host-2>;Initial Catalog=CM_PS1;User ID=<user-2>;Password=<secret-3>;');
    expect(r.text).toContain('Authorization: Bearer <secret-4>');
    expect(r.text).toContain('Proxy http://<user-3>:<secret-5>@<host-3>:8080/ refused the request with 407');
    expect(r.text).toContain('Endpoint=sb://<host-4>.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<secret-6>');
    expect(r.text).not.toMatch(/P@ssw0rd|Winter2026|Zm9vYmFy|Q2xpZW50|eyJ0eXAi|c2VjcmV0/);
    expect(r.replaced.secret).toBe(6);
  });

  test('tokens found by the gitleaks rules and private keys go', () => {
    const pat = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const aws = 'AKIA' + 'QX7TZ3LMNOPQ4RS2';
    const text = [
      `git clone https://${pat}@github.com/contoso/cm-scripts.git`,
      `aws_access_key_id = ${aws}`,
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
      '-----END RSA PRIVATE KEY-----',
      'Done 0x00000000',
    ].join('\n');
    const r = redact(text);
    expect(r.text).not.toContain(pat);
    expect(r.text).not.toContain(aws);
    expect(r.text).not.toContain('MIIEowIBAAKCAQEA');
    expect(r.text).toContain('/contoso/cm-scripts.git');
    expect(r.text).toContain('\nDone 0x00000000');
    expect(r.replaced.secret).toBe(3);
  });

  test('the gitleaks rule file names its source and licence, and every rule compiles', () => {
    expect(secretRules.source).toMatch(/^https:\/\/github\.com\/gitleaks\/gitleaks\/blob\/[0-9a-f]{40}\/config\/gitleaks\.toml$/);
    expect(secretRules.licence).toMatch(/^MIT/);
    for (const rule of secretRules.rules) {
      expect(() => new RegExp(rule.regex, 'g' + rule.flags), rule.id).not.toThrow();
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
    }
  });

  test('certificate thumbprints and serial numbers go; a masked password is left alone', () => {
    const text = [
      'Selected client certificate thumbprint 3F2A9C7D1E5B8A4F6C0D2E9B7A1C3F5D8E0B2A4C, Serial Number: 61 00 00 00 2b 8e 4c 1f 77 a3 00 00 00 00 00 2b',
      'Certificate hash 3f2a9c7d1e5b8a4f6c0d2e9b7a1c3f5d8e0b2a4c is in the MY store; SerialNumber=4A7F00000000002BCD',
      'password=******** for the network access account',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toContain('thumbprint <thumbprint-1>, Serial Number: <serial-1>');
    expect(r.text).toContain('Certificate hash <thumbprint-1> is in the MY store; SerialNumber=<serial-2>');
    expect(r.text).toContain('password=******** for the network access account');
    expect(r.summary).toBe('1 thumbprint, 2 serial numbers');
    const spaced = redact('Thumbprint: 3f 2a 9c 7d 1e 5b 8a 4f 6c 0d 2e 9b 7a 1c 3f 5d 8e 0b 2a 4c (SHA1)');
    expect(spaced.text).toBe('Thumbprint: <thumbprint-1> (SHA1)');
  });
});

describe('what diagnoses is kept', () => {
  test('codes, statuses, package and content IDs, file names, versions, share names and times are untouched', () => {
    const text = [
      'Hash verification failed for PS100045 (0x80091007); HTTP 404.7 and 404 7; -2147024891; 2148077575; HRESULT=80070005',
      'Content ID 16777216, content 3c9e5d1a-7f42-4b8e-9d61-2a7c0e5b4f18.1 and {9B65688A-84CD-4C2B-AD2B-1CB319D440BE}, ABC00012, XYZ0001A',
      'Files setup.exe, Agent.dll.config, windows10.0-kb5035845-x64.cab, install.ps1, data1.cab, App.config, u_ex261118.log',
      'Versions 5.00.9068.1000, 10.0.17763.1, client version 5.00.9128.1007, Version="1.0.0.0", v1.2.3.4',
      'Shares SMS_DP_SMSPKG$, SMS_DP_SMSSIG$, SMSPKGC$, SCCMContentLib, C:\\SCCMContentLib\\FileLib, C:\\Windows\\ccmcache\\8',
      '3/25/2026 10:20:31 AM, 2026-03-25T10:11:57.204Z, 10:11:57.204+000, Mozilla/5.0 Chrome/134.0.0.0',
      'System.Net.WebException: The remote server returned an error: (404) Not Found. at System.Net.HttpWebRequest.GetResponse()',
      'CContentAccessService::Initialize, Microsoft-Windows-Bits-Client/Operational, 0.0.0.0, ::1, 255.255.255.0',
      'Hash could not be matched for the downloded content. Original ContentHash = ADB7A269FA5A45685BB67C7CFC933BB6D5A76D27, Downloaded ContentHash = 1F1748813C696136E1937A003115D70256015FB5',
    ].join('\n');
    const r = redact(text);
    expect(r.text).toBe(text);
    expect(r.replaced).toEqual({});
    expect(r.summary).toBe('nothing replaced');
  });
});

describe('numbering', () => {
  test('the same value keeps its number in one paste, case aside; another paste starts again at 1', () => {
    const r = redact('http://DP01.contoso.com/a then \\\\dp01.contoso.com\\b then dp02.contoso.com then 10.0.0.7 and 10.0.0.7');
    expect(r.text).toBe('http://<host-1>/a then \\\\<host-1>\\b then <host-2> then <ip-1> and <ip-1>');
    expect(r.replaced).toEqual({ host: 2, address: 1 });
    expect(redact('dp09.contoso.com').text).toBe('<host-1>');
  });

  test('MAC and IPv6 addresses are addresses', () => {
    const r = redact('Adapter 00-1A-2B-3C-4D-5E (00:1a:2b:3c:4d:5e) has fe80::1c2d:3e4f:5a6b:7c8d%12 and 2001:db8::42');
    expect(r.text).toBe('Adapter <mac-1> (<mac-1>) has <ip-1> and <ip-2>');
    expect(r.summary).toBe('3 addresses');
  });

  test('redacting the result again changes nothing', () => {
    const text = readFileSync(new URL('../fixtures/baseline/iis-dp.log', import.meta.url), 'utf8')
      + readFileSync(new URL('../fixtures/baseline/LocationServices.log', import.meta.url), 'utf8');
    const once = redact(text);
    const twice = redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.summary).toBe('nothing replaced');
  });
});

describe('bounded time', () => {
  /** CPU time, not wall time: the machine running the tests may be shared. */
  const ms = (f: () => void): number => {
    const c0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  };

  test('a 5 MB paste of real log lines is redacted in well under a second', () => {
    const sample = ['CAS.log', 'LocationServices.log', 'iis-dp.log', 'DataTransferService.log', 'bitsadmin-finished.txt', 'eventlog-bits-ok.txt']
      .map((f) => readFileSync(new URL(`../fixtures/baseline/${f}`, import.meta.url), 'utf8')).join('\n');
    const big = sample.repeat(Math.ceil(5_000_000 / sample.length)).slice(0, 5_000_000);
    redact(big.slice(0, 500_000));
    redact(big.slice(500_000, 1_000_000));
    const took = ms(() => redact(big));
    expect(took).toBeLessThan(1000);
  });

  // Each line is built to make one pass retry from every position or backtrack inside a long token;
  // the last two are the attack strings recheck produced for earlier versions of two patterns.
  const adversarial: Record<string, string> = {
    'one long word': 'a'.repeat(1_000_000),
    'dotted labels': 'a.'.repeat(500_000),
    'digits and dots': '1.'.repeat(500_000),
    'hex and colons': 'ab:'.repeat(330_000),
    'backslashes': '\\'.repeat(1_000_000),
    'UNC starts': '\\\\a'.repeat(330_000),
    'DOMAIN\\ pairs': 'a\\'.repeat(500_000),
    'at signs': 'a@'.repeat(500_000),
    'URL schemes': 'a://'.repeat(250_000),
    'keys without values': 'password='.repeat(110_000),
    'server words': 'server '.repeat(140_000),
    'spaces after a key': 'Server' + ' '.repeat(1_000_000) + '!',
    'JWT look-alike': ('eyAAAAAAAAAAAAAAAAAAAAA.' + 'eyBBBBBBBBBBBBBBBBBBBB/').repeat(20_000),
    'private key headers': '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(30_000),
    'hex run': 'a1'.repeat(500_000),
    'profile starts': '\\Users\\'.repeat(120_000),
    'IIS-shaped line': '2026-03-25 10:02:41 ' + 'x '.repeat(400_000),
    'hex pairs': '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  00 00 00 00 '.repeat(17_000) + '000 0 0 00 00 00 00 0G',
    'SendGrid prefixes': '\u0000' + 'SG..'.repeat(250_000) + '\u0000',
  };
  for (const [name, line] of Object.entries(adversarial)) {
    test(`adversarial line: ${name}`, () => {
      // Linear passes take a few hundred milliseconds on a 1 MB line; a quadratic one would take hours.
      expect(ms(() => redact(line))).toBeLessThan(2000);
    });
  }
});
