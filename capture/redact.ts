import secretRuleFile from './secret-rules.json';

/**
 * Redaction of a user's paste before a copy of it is kept (`CAPTURE=redacted`).
 *
 * What is stored must identify no machine, person, organisation or secret, and must still
 * diagnose: error codes, HTTP statuses, file names, package and content IDs, log components,
 * times, ConfigMgr share names and well-known Microsoft host names stay. Everything else that
 * names something is replaced by a placeholder such as `<host-1>`; the same value gets the same
 * placeholder throughout one paste, so "the client asked DP01, then DP01 answered 404" still
 * reads as one server.
 *
 * How it stays linear. Every pass is one global regex written so that an attempt can only start
 * at the beginning of a token (a look-behind excludes the characters the token consists of, or
 * the regex starts at a rare anchor such as `@`, `\`, `://` or `.` and looks back a bounded
 * distance), and every quantifier that could meet an overlapping neighbour is bounded. Candidates
 * are then judged by plain code, not by a cleverer regex. A 5 MB paste takes about half a second
 * of CPU; the tests include a long adversarial line for each pass.
 *
 * Secrets. Two maintained rule sets were considered:
 * - secretlint's recommended preset (`@secretlint/secretlint-rule-preset-recommend`) runs inside
 *   secretlint's engine, whose `lintSource` is asynchronous and reports findings rather than
 *   returning text; using it would make `redact()` asynchronous and pull in the engine and its
 *   dependencies for a dozen patterns.
 * - the gitleaks default rule set (`config/gitleaks.toml`, MIT) is data: one regex per secret
 *   format. Its fixed-prefix rules (AWS, GitHub, GitLab, Slack, Google, npm, OpenAI, Stripe,
 *   SendGrid, JWT, Azure AD client secrets) port to JavaScript regexes almost unchanged and stay
 *   linear. Its generic key=value rule depends on an entropy filter and on RE2's linear engine
 *   (in a backtracking engine its lazy 50-character prefix is slow), so it is not taken.
 * The gitleaks subset lives in `capture/secret-rules.json` with its source commit and licence;
 * the key=value secrets that ConfigMgr pastes actually carry (`Password=`, `AccountKey=`,
 * `SharedAccessSignature=`, `sig=` in a SAS URL, `Bearer` tokens, passwords in URLs) and
 * private-key blocks are handled below, because gitleaks has no rule for Azure storage keys or
 * SAS signatures and its generic rule is not used.
 *
 * Microsoft host names. Names under Microsoft's public service domains (`microsoft.com`,
 * `windowsupdate.com`, `windows.com`, ...) are kept: they say which service a client tried to
 * reach and identify no customer. Names under Azure suffixes that carry a customer's own label
 * (`contoso-cmg.cloudapp.net`, `contosostore.blob.core.windows.net`, `contoso.onmicrosoft.com`)
 * lose that label and keep the suffix: `<host-1>.cloudapp.net`.
 *
 * Hashes. A 40-hex value is a certificate thumbprint unless its line calls it a hash (a file's
 * content hash, which identifies nobody and shows whether two downloads were the same file); a
 * 64-hex value is replaced only where it is called a thumbprint or certificate hash.
 *
 * Counting. `replaced` counts distinct values per kind (two mentions of DP01 are one host).
 * Placeholders are numbered in the order they first appear in the result.
 *
 * Names learned. A short machine name found in a context that says it is one (`Server=DP01`, a
 * URL, a UNC path, the first label of a replaced FQDN with a digit in it) is also replaced where
 * it stands alone elsewhere in the paste ("DP01 answered 404"); so are user names found in
 * profile paths, `User:` fields and IIS `cs-username`, and capitalised DOMAIN\user pairs.
 */

/**
 * What was replaced. `address`: IPv4, IPv6 and MAC addresses. `domain`: the DOMAIN of DOMAIN\user.
 * `site`: an Active Directory site name (they are often a town or a building).
 */
export type RedactionKind = 'host' | 'address' | 'user' | 'domain' | 'email' | 'site' | 'sid' | 'thumbprint' | 'serial' | 'secret';

export interface Redaction {
  /** The paste with every identifying value replaced by a placeholder. */
  text: string;
  /** Distinct values replaced, by kind; kinds with none are left out. */
  replaced: Record<string, number>;
  /** The same in words, "3 hosts, 2 addresses, 1 user", or "nothing replaced". */
  summary: string;
}

const KIND_ORDER: readonly RedactionKind[] = ['host', 'address', 'user', 'domain', 'email', 'site', 'sid', 'thumbprint', 'serial', 'secret'];
const KIND_WORDS: Record<RedactionKind, [string, string]> = {
  host: ['host', 'hosts'],
  address: ['address', 'addresses'],
  user: ['user', 'users'],
  domain: ['domain', 'domains'],
  email: ['e-mail address', 'e-mail addresses'],
  site: ['AD site', 'AD sites'],
  sid: ['SID', 'SIDs'],
  thumbprint: ['thumbprint', 'thumbprints'],
  serial: ['serial number', 'serial numbers'],
  secret: ['secret', 'secrets'],
};

/** Placeholder labels; `address` has two so that a reader can tell an IP from a MAC. */
type Label = 'host' | 'ip' | 'mac' | 'user' | 'domain' | 'email' | 'site' | 'sid' | 'thumbprint' | 'serial' | 'secret';
const LABEL_KIND: Record<Label, RedactionKind> = {
  host: 'host', ip: 'address', mac: 'address', user: 'user', domain: 'domain', email: 'email', site: 'site',
  sid: 'sid', thumbprint: 'thumbprint', serial: 'serial', secret: 'secret',
};

/** Numbers values per label, case-insensitively (DP01 and dp01 are one host). */
class Placeholders {
  private readonly numbers = new Map<string, number>();
  private readonly next = new Map<Label, number>();

  get(label: Label, value: string): string {
    const key = `${label}\u0000${value.toLowerCase()}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = (this.next.get(label) ?? 0) + 1;
      this.next.set(label, n);
      this.numbers.set(key, n);
    }
    return `<${label}-${n}>`;
  }

  /**
   * Renumbers the placeholders this instance issued in the order they appear in `text`, so that a
   * reader meets `<host-1>` before `<host-2>` whatever pass found them. Other `<…-n>` text is left alone.
   */
  renumber(text: string): string {
    let issued = 0;
    for (const n of this.next.values()) issued += n;
    if (issued === 0) return text;
    // First appearances, read until every issued placeholder has been met (usually early in the text).
    const order = new Map<string, string>();
    const seen = new Map<Label, number>();
    let moved = false;
    const re = /<(host|ip|mac|user|domain|email|site|sid|thumbprint|serial|secret)-(\d{1,9})>/g;
    for (let m = re.exec(text); m !== null && order.size < issued; m = re.exec(text)) {
      const label = m[1] as Label;
      if (order.has(m[0]) || Number(m[2]) > (this.next.get(label) ?? 0)) continue;
      const k = (seen.get(label) ?? 0) + 1;
      seen.set(label, k);
      const to = `<${label}-${k}>`;
      order.set(m[0], to);
      if (to !== m[0]) moved = true;
    }
    if (!moved) return text;
    return text.replace(re, (m) => order.get(m) ?? m);
  }

  counts(): Record<string, number> {
    const out: Partial<Record<RedactionKind, number>> = {};
    for (const [label, n] of this.next) out[LABEL_KIND[label]] = (out[LABEL_KIND[label]] ?? 0) + n;
    const ordered: Record<string, number> = {};
    for (const kind of KIND_ORDER) if (out[kind]) ordered[kind] = out[kind];
    return ordered;
  }
}

export function summarize(replaced: Record<string, number>): string {
  const parts: string[] = [];
  for (const kind of KIND_ORDER) {
    const n = replaced[kind];
    if (n) parts.push(`${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`);
  }
  return parts.length === 0 ? 'nothing replaced' : parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Word lists

/** File extensions: a dotted word ending in one of these is a file name, not a host. */
const FILE_EXTENSIONS = new Set((
  'exe dll msi msp mst msu cab log lo_ txt xml config cfg ini inf sys ps1 psm1 psd1 psm cmd bat vbs js json ' +
  'cpp cxx c h hpp cs vb py pl rb sh md htm html aspx asp asmx svc php css png jpg jpeg gif ico bmp svg ' +
  'tar zip 7z gz rar iso wim esd vhd vhdx img ldf mdf mdb ndf bak tmp dat db sdf cat manifest mof mfl ' +
  'ocx drv efi mui nls ttf otf pdf doc docx xls xlsx ppt pptx csv tsv xsl xslt xsd resx resources ' +
  'pol reg adml admx evtx etl dmp lock lnk url rdp pfx cer crt pem key p7b p12 csr sst crl ' +
  'appx appxbundle msix msixbundle nupkg zap old new bin out err ps psd'
).split(' '));

/** Top-level labels that make a two-label name a host even without a digit (internal ones too). */
const HOST_TLDS = new Set((
  'com net org edu gov mil int biz info io co us uk de fr nl be ch at au ca nz jp cn in br es it se no dk fi pl ' +
  'ie pt cz hu ro ru za sg hk kr tw mx ar cl eu asia cloud online site tech app dev ' +
  'local lan corp internal intranet intra home lab test example invalid localdomain domain ad priv private ' +
  'mgmt prod dmz'
).split(' '));

/** Microsoft's own public service domains: kept, they identify no customer and they diagnose. */
const MICROSOFT_DOMAINS = [
  'microsoft.com', 'windowsupdate.com', 'windows.com', 'msftconnecttest.com', 'msftncsi.com',
  'microsoftonline.com', 'live.com', 'office.com', 'office365.com', 'msedge.net', 'msauth.net',
  'msftauth.net', 'bing.com', 'digicert.com', 'verisign.com', 'akamaitechnologies.com',
];

/**
 * Suffixes under which the leftmost labels are the customer's own (a cloud service, a storage
 * account, a tenant): those labels go, the suffix stays. Checked before `MICROSOFT_DOMAINS`.
 */
const TENANT_SUFFIXES = [
  'cloudapp.net', 'cloudapp.azure.com', 'blob.core.windows.net', 'file.core.windows.net',
  'queue.core.windows.net', 'table.core.windows.net', 'core.windows.net', 'azurewebsites.net',
  'azureedge.net', 'trafficmanager.net', 'servicebus.windows.net', 'database.windows.net',
  'vault.azure.net', 'onmicrosoft.com', 'sharepoint.com', 'mail.protection.outlook.com',
  'azure-devices.net', 'azurecr.io', 'visualstudio.com',
  // Last, as catch-alls: most names under these are a customer's resource (login.windows.net loses its label too).
  'windows.net', 'azure.net', 'azure.com',
];

/** Values that a `Server:` / `User:` field holds without naming anything. */
const NON_NAMES = new Set((
  '- -- n/a na none null nil (null) unknown local localhost true false yes no default any all auto ' +
  'http https ftp file smb tcp udp mcs bits iis wmi sql dns dhcp ssl tls pki cmg cdp wsus sup dp mp ' +
  'error warning failed failure success ok the a an is was to of for on in at by from with and or not ' +
  'system nt anonymous everyone iusr guest administrator administrators users network service ' +
  'server servers computer client clients machine host name list point points share role roles ' +
  'manager management distribution site sites version get head put post propfind options admin'
).split(' '));

/** Upper-case words that follow "server" in prose without being a name. */
const PROSE_STOPS = new Set((
  'HTTP HTTPS BITS IIS SMB WMI SQL DNS DHCP TCP UDP SSL TLS PKI CMG CDP WSUS SUP DP MP ERROR WARNING FAILED OK ' +
  'NULL NONE TRUE FALSE LOCAL SERVER SYSTEM GET HEAD PUT POST PROPFIND OPTIONS LIST NOT AND THE FOR ' +
  'STATE TYPE NAME ADDRESS PORT USER OWNER GUID URL URI SMS CCM RPC DCOM UNAVAILABLE BUSY TIMEOUT DOWN RESPONSE ' +
  'RETURNED REFUSED CONNECTION CERTIFICATE SIDE ROLE ROLES NAT API DTS CTM CAS CCMDTS SMSTS WUA WSUS MDT PXE OSD'
).split(' '));

/** Well-known Windows principals' domains: `NT AUTHORITY\SYSTEM` and kin are kept. */
const WELL_KNOWN_DOMAINS = new Set(['authority', 'builtin', 'service', 'apppool', 'manager', 'host', 'nt', 'nt authority', 'nt service', 'iis apppool']);

/**
 * Folder names that can stand before a backslash in a relative path or a registry or WMI path
 * (`ccmcache\8`, `HKLM\SOFTWARE`, `root\ccm`): such a pair is a path, not DOMAIN\user.
 */
const PATH_WORDS = new Set((
  'root hklm hkcu hkcr hku hkey_local_machine hkey_current_user hkey_classes_root hkey_users software system ' +
  'system32 syswow64 sysnative windows winnt ccm ccmcache ccmsetup logs log temp tmp programdata appdata local ' +
  'roaming sccmcontentlib filelib datalib pkglib sms sms_ccm inboxes cimv2 microsoft policy sources source packages ' +
  'package content contentlib drivers driver apps applications application config bin x64 x86 i386 amd64 arm64 ' +
  'inetpub wwwroot inetsrv updates update scripts script tools setup client smsts smstslog minint boot ' +
  'sms_dp_smspkg$ sms_dp_smssig$ smspkg smssig smspkgc$ smspkgd$ smspkge$ lib data public default users ' +
  'documents desktop downloads program files settings configuration remoteinstall smsimages smsboot smstemp ' +
  'currentversion policies services parameters control currentcontrolset controlset001 wow6432node classes ' +
  'internet winhttp wininet templates administrative components'
).split(' '));

/** Profile folders that are not a person: `C:\Users\Public` stays. */
const SHARED_PROFILES = new Set(['public', 'default', 'default user', 'all users', 'defaultuser0', 'defaultuser100000', 'administrator', 'default.migrated']);

/** Well-known SIDs identify nobody; only domain/machine (S-1-5-21-…) and Entra ID (S-1-12-1-…) SIDs do. */
const SID_RE = /(?<![A-Za-z0-9_-])S-1-(?:5-21|12-1)(?:-\d{1,10}){1,7}(?![A-Za-z0-9_-])/g;

const PLACEHOLDER_LABELS = new Set(Object.keys(LABEL_KIND));

// ---------------------------------------------------------------------------------------------
// Classifiers

function isIPv4(s: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** Addresses that identify nothing: unspecified, loopback, netmasks. */
function isNeutralIPv4(s: string): boolean {
  if (s === '0.0.0.0' || s.startsWith('127.')) return true;
  const octets = s.split('.').map(Number);
  if (octets[0] !== 255) return false;
  const maskOctets = new Set([0, 128, 192, 224, 240, 248, 252, 254, 255]);
  return octets.every((o) => maskOctets.has(o));
}

function isIPv6(raw: string): boolean {
  const s = raw.replace(/%[0-9A-Za-z]{1,32}$/, '');
  if (s.length < 2 || !s.includes(':')) return false;
  const double = s.indexOf('::');
  if (double !== -1 && s.indexOf('::', double + 1) !== -1) return false;
  let groups = s.split(':');
  let count = 0;
  const last = groups[groups.length - 1] ?? '';
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    count += 2;
    groups = groups.slice(0, -1);
  }
  if (double !== -1) {
    const filled = groups.filter((g) => g !== '');
    if (!filled.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
    count += filled.length;
    return count <= 7 && (s.length > 2);
  }
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  count += groups.length;
  return count === 8;
}

function isNeutralIPv6(raw: string): boolean {
  const s = raw.toLowerCase();
  return s === '::' || s === '::1' || s === '0:0:0:0:0:0:0:1' || s === '0:0:0:0:0:0:0:0';
}

const DOTTED_MICROSOFT = MICROSOFT_DOMAINS.map((d) => '.' + d);
const DOTTED_TENANT = TENANT_SUFFIXES.map((d) => '.' + d);

function isMicrosoftHost(lower: string): boolean {
  return MICROSOFT_DOMAINS.includes(lower) || DOTTED_MICROSOFT.some((d) => lower.endsWith(d));
}

function tenantSuffix(lower: string): string | undefined {
  if (TENANT_SUFFIXES.includes(lower)) return lower;
  const i = DOTTED_TENANT.findIndex((d) => lower.endsWith(d));
  return i === -1 ? undefined : TENANT_SUFFIXES[i];
}

const LABEL_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Whether a dotted word is a DNS name rather than a file name, a version, a .NET type or a typo
 * in prose. The last label decides: letters only, in one case, not a file extension; a two-label
 * name also needs a digit or a known top-level label ("failed.retrying" stays).
 */
function looksLikeFqdn(name: string, strict = false): boolean {
  const labels = name.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL_RE.test(l))) return false;
  const tld = labels[labels.length - 1]!;
  if (!/^[A-Za-z]{2,24}$/.test(tld)) return false;
  const lower = tld.toLowerCase();
  const oneCase = tld === lower || tld === tld.toUpperCase();
  if (HOST_TLDS.has(lower)) return oneCase || /^[A-Z][a-z]+$/.test(tld);
  if (!oneCase || FILE_EXTENSIONS.has(lower)) return false;
  if (strict) return false;
  return labels.length >= 3 || /\d/.test(name);
}

/** A single-label machine name in a context that says it is one (a URL, a UNC path, `Server=`). */
function looksLikeNetbios(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/.test(name) && /[A-Za-z]/.test(name) && !/^[0-9A-Fa-f]{32,}$/.test(name);
}

// ---------------------------------------------------------------------------------------------
// The redactor

interface State {
  ph: Placeholders;
  /** Single-label names learned from contexts, replaced wherever else they appear as a word. */
  knownHosts: Map<string, string>;
  knownUsers: Map<string, string>;
  knownDomains: Map<string, string>;
  /** What `hostPlaceholder` answered for each name seen, since the same hosts recur on every line. */
  hostMemo: Map<string, string>;
}

interface SecretRule {
  id: string;
  /** gitleaks' keywords, as one case-insensitive test: the rule runs only on a text that has one. */
  keywords: RegExp;
  re: RegExp;
}

const SECRET_RULES: readonly SecretRule[] = (secretRuleFile as { rules: { id: string; keywords: string[]; flags: string; regex: string }[] }).rules
  .map((r) => ({ id: r.id, keywords: new RegExp(r.keywords.map(escapeRegex).join('|'), 'i'), re: new RegExp(r.regex, 'gm' + r.flags) }));

/** The placeholder for a host name (or an address given where a host name goes), or the name itself when it is kept. */
function hostPlaceholder(st: State, name: string): string {
  const memo = st.hostMemo.get(name);
  if (memo !== undefined) return memo;
  const out = hostPlaceholderOf(st, name);
  st.hostMemo.set(name, out);
  return out;
}

function hostPlaceholderOf(st: State, name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'localhost' || lower === '.' || lower === '(local)') return name;
  if (isIPv4(name)) return isNeutralIPv4(name) ? name : st.ph.get('ip', name);
  const suffix = tenantSuffix(lower);
  if (suffix !== undefined) {
    if (lower === suffix) return name;
    return st.ph.get('host', name.slice(0, name.length - suffix.length - 1)) + name.slice(name.length - suffix.length - 1);
  }
  if (isMicrosoftHost(lower)) return name;
  const dot = name.indexOf('.');
  if (dot === -1) {
    const known = st.knownHosts.get(lower);
    if (known !== undefined) return known;
  }
  const p = st.ph.get('host', name);
  // Remember the machine's short name, so that a bare "DP01" elsewhere in the paste goes too.
  const short = dot === -1 ? lower : lower.slice(0, dot);
  const learnable = short.length >= 3 && /[a-z]/.test(short) && !NON_NAMES.has(short) && !PLACEHOLDER_LABELS.has(short) && !PATH_WORDS.has(short);
  if (learnable && (dot === -1 || /\d/.test(short)) && !st.knownHosts.has(short)) st.knownHosts.set(short, p);
  return p;
}

function userPlaceholder(st: State, name: string, learn = true): string {
  const p = st.ph.get('user', name);
  const lower = name.toLowerCase();
  if (learn && name.length >= 3 && !NON_NAMES.has(lower) && !PLACEHOLDER_LABELS.has(lower) && !PATH_WORDS.has(lower)) st.knownUsers.set(lower, p);
  return p;
}

function domainPlaceholder(st: State, name: string, learn = true): string {
  if (name.includes('.')) return hostPlaceholder(st, name);
  const p = st.ph.get('domain', name);
  const lower = name.toLowerCase();
  if (learn && name.length >= 3 && !NON_NAMES.has(lower) && !PLACEHOLDER_LABELS.has(lower) && !PATH_WORDS.has(lower)) st.knownDomains.set(lower, p);
  return p;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isPlaceholder = (s: string): boolean => s.startsWith('<');

/**
 * Replaces the spans that `fn` returns for each match of `re` (global). Used with regexes that
 * start at a rare anchor (`@`, `\\`, `://`, `.`) and reach back with a bounded look-behind, which
 * is much cheaper than trying a pattern at every word start; `fn` says where the span to replace
 * starts and ends, or returns undefined to keep the text.
 */
function replaceSpans(text: string, re: RegExp, fn: (m: RegExpExecArray) => [number, number, string] | undefined): string {
  re.lastIndex = 0;
  let out = '';
  let from = 0;
  let changed = false;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') re.lastIndex++;
    const r = fn(m);
    if (r === undefined || r[0] < from) continue;
    out += text.slice(from, r[0]) + r[2];
    from = r[1];
    changed = true;
  }
  return changed ? out + text.slice(from) : text;
}

/** Values that mean "no secret here": empty, masked, or a variable. */
function isMaskedSecret(v: string): boolean {
  return /^(?:[*xX•#.]{1,}|-|null|none|n\/a|\(null\)|\$\{?\w+\}?|%\w+%|\{\{.*\}\})$/i.test(v) || isPlaceholder(v);
}

// -- secrets ---------------------------------------------------------------------------------

function redactPrivateKeys(text: string, st: State): string {
  const begin = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
  let out = '';
  let from = 0;
  for (let m = begin.exec(text); m !== null; m = begin.exec(text)) {
    const endMarker = text.indexOf('-----END', m.index + m[0].length);
    let end: number;
    if (endMarker === -1) {
      end = text.length;
    } else {
      const close = text.indexOf('-----', endMarker + 8);
      end = close === -1 ? text.length : close + 5;
    }
    out += text.slice(from, m.index) + st.ph.get('secret', text.slice(m.index, Math.min(end, m.index + 4096)));
    from = end;
    begin.lastIndex = end;
    if (end === text.length) break;
  }
  return out + text.slice(from);
}

function redactRuleSecrets(text: string, st: State): string {
  for (const rule of SECRET_RULES) {
    if (!rule.keywords.test(text)) continue;
    text = text.replace(rule.re, (m) => st.ph.get('secret', m));
  }
  return text;
}

/** `Password=…`, `AccountKey=…`, `"client_secret": "…"`: the key stays, the value goes. */
const KEY_VALUE_SECRET_RE = new RegExp(
  '(?<![A-Za-z0-9_])((?:AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecret|client_?secret|app_?secret|' +
  'MicrosoftAppPassword|AppPassword|password|passwd|passphrase|pwd|secret|api[_-]?key|x-api-key|access[_-]?key|' +
  'access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|session[_-]?token|sas[_-]?token|token|private[_-]?key|' +
  'sig|ConnectionString[_-]?Password)["\']?[ \\t]{0,4}[=:][ \\t]{0,4})' +
  '("[^"\\r\\n]{1,1024}"|\'[^\'\\r\\n]{1,1024}\'|[^\\s"\'<>;&,)\\]}]{1,16384})',
  'gi',
);

/** `Bearer eyJ…`, `Basic dXNlcjpwYXNz`, `Negotiate YIIF…`: the scheme stays, the credential goes. */
const AUTH_SCHEME_RE = /(?<![A-Za-z0-9_])(Bearer|Basic|Negotiate|NTLM|Digest)([ \t]{1,4})([A-Za-z0-9._~+/=%-]{16,4096})(?![A-Za-z0-9._~+/=%-])/gi;

function redactKeyValueSecrets(text: string, st: State): string {
  text = text.replace(AUTH_SCHEME_RE, (m, scheme: string, gap: string, token: string) => {
    if (!/[0-9+/=]/.test(token)) return m;
    return scheme + gap + st.ph.get('secret', token);
  });
  return text.replace(KEY_VALUE_SECRET_RE, (m, key: string, value: string) => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    const inner = quote ? value.slice(1, -1) : value;
    if (inner === '' || isMaskedSecret(inner)) return m;
    return key + quote + st.ph.get('secret', inner) + quote;
  });
}

// -- URLs ------------------------------------------------------------------------------------

/** scheme://[userinfo@]host[:port]; the path, query and port stay. */
const URL_RE = /:\/\/(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/)([^\s/?#"'<>\\|`{}^]{1,512})/g;

function redactUrls(text: string, st: State): string {
  return replaceSpans(text, URL_RE, (match) => {
    const out = redactAuthority(match[1]!, st);
    return out === undefined ? undefined : [match.index + 3, match.index + match[0].length, out];
  });
}

/** The authority of a URL with its user, password and host replaced; undefined when nothing changes. */
function redactAuthority(authority: string, st: State): string | undefined {
  let rest = authority;
  let userinfo = '';
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    const info = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = info.indexOf(':');
    const user = colon === -1 ? info : info.slice(0, colon);
    const pass = colon === -1 ? undefined : info.slice(colon + 1);
    userinfo = (user === '' || isPlaceholder(user) ? user : userPlaceholder(st, decodeURIComponentSafe(user)))
      + (pass === undefined ? '' : ':' + (pass === '' || isMaskedSecret(pass) ? pass : st.ph.get('secret', pass))) + '@';
  }
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return undefined;
    const host = rest.slice(1, close);
    const replaced = isIPv6(host) && !isNeutralIPv6(host) ? st.ph.get('ip', host) : host;
    return userinfo + '[' + replaced + ']' + rest.slice(close + 1);
  }
  const bare = /^[0-9A-Fa-f:.]+/.exec(rest)?.[0] ?? '';
  if (bare.includes('::') && isIPv6(bare)) {
    return userinfo + (isNeutralIPv6(bare) ? bare : st.ph.get('ip', bare)) + rest.slice(bare.length);
  }
  const host = (/^[A-Za-z0-9_.-]*/.exec(rest)?.[0] ?? '').replace(/[._-]+$/, '');
  if (host === '' || !/[A-Za-z0-9]/.test(host)) return userinfo === '' ? undefined : userinfo + rest;
  return userinfo + hostPlaceholder(st, host) + rest.slice(host.length);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// -- e-mail addresses and UPNs -----------------------------------------------------------------

const EMAIL_RE = /@(?<=(?<![A-Za-z0-9._%+'-])([A-Za-z0-9._%+'-]{1,128})@)([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10})/g;

function redactEmails(text: string, st: State): string {
  return replaceSpans(text, EMAIL_RE, (m) => {
    const local = m[1]!;
    const domain = m[2]!;
    const d = domain.replace(/[.-]+$/, '');
    if (!/[A-Za-z0-9]/.test(local) || !d.includes('.')) return undefined;
    const tld = d.slice(d.lastIndexOf('.') + 1);
    if (!/^[A-Za-z]{2,24}$/.test(tld)) return undefined;
    if (FILE_EXTENSIONS.has(tld.toLowerCase()) && !HOST_TLDS.has(tld.toLowerCase())) return undefined;
    const l = local.replace(/^[.'-]+/, '');
    const start = m.index - l.length;
    return [start, start + l.length + 1 + d.length, st.ph.get('email', `${l}@${d}`)];
  });
}

// -- UNC paths -------------------------------------------------------------------------------

/** Folders of the content library, which escaped paths (`"\\\\FileLib\\\\"`) put after two backslashes. */
const CONTENT_LIBRARY_FOLDERS = new Set(['sccmcontentlib', 'filelib', 'datalib', 'pkglib']);

/** `\\SCCM01\SMS_PS1`, `\\sccm01.corp.local\share`, `\\?\UNC\host\share`, and the same escaped (`\\\\host\\share`). */
const UNC_RE = /(?<![A-Za-z0-9_\\:/])(\\{2,4}(?:\?\\{1,2}UNC\\{1,2})?)([A-Za-z0-9_][A-Za-z0-9_.-]{0,253})(?![A-Za-z0-9_.-])/gi;

function redactUnc(text: string, st: State): string {
  return text.replace(UNC_RE, (m, lead: string, host: string, offset: number) => {
    // After a placeholder (`<host-1>\\\\x`) the backslashes are not the start of a UNC path.
    if (offset > 0 && text[offset - 1] === '>' && /<[a-z]+-\d+>$/.test(text.slice(Math.max(0, offset - 24), offset))) return m;
    const name = host.replace(/[.-]+$/, '');
    const tail = host.slice(name.length);
    if (name === '' || name === '?' || CONTENT_LIBRARY_FOLDERS.has(name.toLowerCase())) return m;
    if (!isIPv4(name) && !looksLikeNetbios(name) && !looksLikeFqdn(name)) {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || !/[A-Za-z]/.test(name)) return m;
    }
    return lead + hostPlaceholder(st, name) + tail;
  });
}

// -- user names ----------------------------------------------------------------------------------

/** `C:\Users\jdoe\AppData`, `\Documents and Settings\John Smith\`, `/home/jdoe/`: the name goes. */
const PROFILE_RE = /([\\/](?:Users|Documents and Settings|home)[\\/])([^\\/:*?"<>|\r\n\t]{1,64})/gi;

function redactProfiles(text: string, st: State): string {
  return text.replace(PROFILE_RE, (m, lead: string, run: string, offset: number) => {
    const next = text[offset + m.length];
    // A folder name may hold spaces only when a separator follows it; otherwise the name ends at the first space.
    let name = next === '\\' || next === '/' ? run : run.split(/[\s'`,;)\]]/)[0] ?? '';
    name = name.replace(/[.]+$/, '');
    if (name === '' || SHARED_PROFILES.has(name.toLowerCase()) || /^%.*%$/.test(name) || name.startsWith('$')) return m;
    return lead + userPlaceholder(st, name) + run.slice(name.length);
  });
}

/** `CORP\jdoe`, `CONTOSO\PC0815$`, `corp.contoso.com\jdoe`: the domain and the account both go. */
const DOMAIN_USER_RE = /\\(?<=(?<![A-Za-z0-9_.\\/$%\]-])([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\\)([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\$?)(?![A-Za-z0-9_\\/$-])/g;

function redactDomainUsers(text: string, st: State): string {
  return replaceSpans(text, DOMAIN_USER_RE, (match) => {
    const domain = match[1]!;
    const user = match[2]!;
    const offset = match.index - domain.length;
    const out = domainUser(st, text, domain, user, offset);
    return out === undefined ? undefined : [offset, match.index + match[0].length, out];
  });
}

/** `DOMAIN\\user` with both parts replaced, or undefined when the pair is a path or a well-known principal. */
function domainUser(st: State, text: string, domain: string, user: string, offset: number): string | undefined {
  const before = text.slice(Math.max(0, offset - 12), offset);
  const d = domain.toLowerCase();
  if (WELL_KNOWN_DOMAINS.has(d) || /(?:NT|IIS|Window|Font Driver) $/i.test(before)) return undefined;
  if (PATH_WORDS.has(d) || /^[A-Z0-9]{3}[0-9A-F]{5}$/.test(domain) || /^\d+$/.test(domain)) return undefined;
  const u = user.replace(/\.+$/, '');
  const tail = user.slice(u.length);
  if (!/[A-Za-z]/.test(u) || PATH_WORDS.has(u.toLowerCase())) return undefined;
  const ext = u.includes('.') ? u.slice(u.lastIndexOf('.') + 1).toLowerCase() : '';
  if (FILE_EXTENSIONS.has(ext)) return undefined;
  if (d.includes('.') && !looksLikeFqdn(domain)) return undefined;
  // Windows writes NetBIOS domain names in capitals (CORP\jdoe); a mixed-case pair may still be a
  // relative path, so its words are replaced here but not hunted for elsewhere in the paste.
  const learn = domain === domain.toUpperCase();
  const account = u.endsWith('$') ? hostPlaceholder(st, u.slice(0, -1)) + '$' : userPlaceholder(st, u, learn);
  return domainPlaceholder(st, domain, learn) + '\\' + account + tail;
}

/** `User: jdoe`, `username=jdoe`, `OWNER: jdoe`, `AccountName=contosostore`. */
const USER_FIELD_RE = /(?<![A-Za-z0-9_-])(?<!<\/)(user ?name|user ?id|user|owner|logon ?user|login|run ?as|account ?name|cs-username)("?[ \t]{0,4}[=:][ \t]{0,16}["']?)(?=([A-Za-z0-9_][A-Za-z0-9_.$-]{0,63})(?![A-Za-z0-9_\\@-]))/gi;

function redactUserFields(text: string, st: State): string {
  return replaceSpans(text, USER_FIELD_RE, (match) => {
    const start = match.index + match[0].length;
    const v = match[3]!.replace(/\.+$/, '');
    const lower = v.toLowerCase();
    const after = text.slice(start + v.length, start + v.length + 12);
    if (NON_NAMES.has(lower) || /^\d+$/.test(v) || (lower === 'nt' && /^ (AUTHORITY|SERVICE)/i.test(after))) return undefined;
    if (lower === 'iis' && /^ APPPOOL/i.test(after)) return undefined;
    return [start, start + v.length, v.endsWith('$') ? hostPlaceholder(st, v.slice(0, -1)) + '$' : userPlaceholder(st, v)];
  });
}

// -- Active Directory site names ---------------------------------------------------------------------

/** `<ADSite Name="HQ-Site"/>`, "Current AD site of machine is HQ-Site". */
const AD_SITE_RE = /(?<![A-Za-z0-9_-])(ADSite ?Name=|ADSite=|AD site of machine is |AD site name is |AD site is )(["']?)(?=([^"'<>\r\n\],;]{1,64}))/gi;

function redactAdSites(text: string, st: State): string {
  return replaceSpans(text, AD_SITE_RE, (m) => {
    const start = m.index + m[0].length;
    const name = m[3]!.replace(/[\s.]+$/, '');
    if (name === '' || isPlaceholder(name) || NON_NAMES.has(name.toLowerCase())) return undefined;
    return [start, start + name.length, st.ph.get('site', name)];
  });
}

// -- hosts named by their field -----------------------------------------------------------------

const HOST_KEYS = [
  'OSDComputerName', '_SMSTSMachineName', 'SMSTSMachineName', 'ServerRemoteName', 'ServerName', 'Server Name', 'SiteServer', 'Site Server', 'SMSSiteServer', 'ComputerName',
  'Computer Name', 'MachineName', 'Machine Name', 'HostName', 'Host Name', 'NetBIOSName', 'NetBIOS Name',
  'DNSHostName', 'Data Source', 'Distribution Point', 'Management Point', 'ProxyServer', 'Proxy Server',
  'PROXY LIST', 'Proxy', 'SMSMP', 'SMSSLP', 'SMSFSP', 'FSP', 'DNSSUFFIX', 'Server', 'Computer', 'Machine', 'Host', 'Workstation',
  'SYS', 'MACH', 'DP', 'MP', 'SUP', 'CN',
];
/** Keys after which a name counts in prose too ("the server DP01 did not answer"). */
const PROSE_HOST_KEYS = new Set(['server', 'computer', 'machine', 'host', 'workstation', 'dp', 'mp', 'sup', 'distributionpoint', 'managementpoint', 'siteserver']);
const HOST_FIELD_RE = new RegExp(
  // Not after "</": a closing tag is followed by the next element, not by a value.
  `(?<![A-Za-z0-9_-])(?<!<\\/)(${HOST_KEYS.map((k) => k.replace(/ /g, '[ _]?')).join('|')})` +
  `(["']?[ \\t]{0,4}[=:>][ \\t]{0,16}["']?|[ \\t]{1,4}["']?)` +
  // The value is read in a look-ahead, so that a value that is not a name (the next key) is not consumed.
  '(?=([A-Za-z0-9_][A-Za-z0-9_.-]{0,253})(?![A-Za-z0-9_@-]))',
  'gi',
);

function redactHostFields(text: string, st: State): string {
  return replaceSpans(text, HOST_FIELD_RE, (match) => {
    const start = match.index + match[0].length;
    const out = hostField(st, text, match[1]!, match[2]!, match[3]!, start);
    return out === undefined ? undefined : [start, start + out[0], out[1]];
  });
}

/** The placeholder for the value of a host field and how many characters it replaces, or undefined. */
function hostField(st: State, text: string, key: string, sep: string, value: string, offset: number): [number, string] | undefined {
  const v = value.replace(/[.-]+$/, '');
  const lower = v.toLowerCase();
  const next = text[offset + value.length] ?? '';
  if (v.length < 2 || NON_NAMES.has(lower) || (/^[\d.]+$/.test(v) && !isIPv4(v))) return undefined;
  if (next === '/' || (next === ':' && text[offset + value.length + 1] === '/')) return undefined;
  const keyed = /[=:>]/.test(sep);
  // "server: most often …", "Pull distribution point: DTS error …": after a bare colon, a lower-case
  // word or a component name is prose, not a machine name.
  // "distribution point: Monitoring > …": nor a capitalised word followed by more prose.
  if (/^[ \t]*:[ \t]*$/.test(sep) && (/^[a-z]+$/.test(v) || PROSE_STOPS.has(v) || (/^[A-Z][a-z]+$/.test(v) && / [>A-Za-z]/.test(text.slice(offset + value.length, offset + value.length + 2))))) return undefined;
  if (v.includes('.')) {
    if (!isIPv4(v) && !looksLikeFqdn(v)) return undefined;
    return [v.length, hostPlaceholder(st, v)];
  }
  if (!looksLikeNetbios(v)) return undefined;
  if (!keyed) {
    // In prose ("the server DP01 did not answer") only a word shaped like a machine name counts.
    if (key.toUpperCase() === 'CN' || !PROSE_HOST_KEYS.has(key.toLowerCase().replace(/[ _]/g, ''))) return undefined;
    const machineLike = (/\d/.test(v) && /[A-Za-z]/.test(v)) || (v.length >= 3 && v === v.toUpperCase() && /[A-Z]/.test(v) && !PROSE_STOPS.has(v));
    if (!machineLike || /^R\d$|^\d+[a-z]{0,2}$|^v\d/i.test(v)) return undefined;
  }
  return [v.length, hostPlaceholder(st, v)];
}

// -- IIS W3C lines -------------------------------------------------------------------------------

/** IIS's default field order, used for a log line pasted without its `#Fields:` header. */
const IIS_DEFAULT_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(' ');
const IIS_LINE_RE = /^(#Fields:[^\r\n]*|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [^\r\n]*)$/gm;

function redactIisLines(text: string, st: State): string {
  let fields: string[] | null = null;
  return text.replace(IIS_LINE_RE, (line: string) => {
    if (line.startsWith('#Fields:')) {
      fields = line.slice(8).trim().split(/\s+/);
      return line;
    }
    const cols = line.split(' ');
    let names = fields;
    if (names === null || names.length !== cols.length) {
      const defaultShape = cols.length >= 14 && /^[A-Z]{3,12}$/.test(cols[3] ?? '') && /^\d{1,5}$/.test(cols[6] ?? '');
      if (!defaultShape) return line;
      names = IIS_DEFAULT_FIELDS;
    }
    let changed = false;
    for (let i = 0; i < cols.length; i++) {
      const v = cols[i]!;
      if (v === '-' || v === '' || isPlaceholder(v) || v.includes('<')) continue;
      const f = names[i]?.toLowerCase();
      if (f === 'cs-username') {
        cols[i] = v.endsWith('$') ? hostPlaceholder(st, v.slice(0, -1)) + '$' : userPlaceholder(st, decodeURIComponentSafe(v));
        changed = true;
      } else if (f === 's-computername' || f === 'cs-host') {
        const hostOnly = v.replace(/:\d{1,5}$/, '');
        cols[i] = hostPlaceholder(st, hostOnly) + v.slice(hostOnly.length);
        changed = true;
      }
    }
    return changed ? cols.join(' ') : line;
  });
}

// -- addresses --------------------------------------------------------------------------------

const IPV6_RE = /(?<![A-Za-z0-9_:.%])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{1,60}(?:%[0-9A-Za-z]{1,32})?/g;
const IPV4_RE = /(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9]|\.\d)/g;
const MAC_RE = /(?<![A-Za-z0-9_:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![A-Za-z0-9_:-])/g;
/** "version 10.0.0.1", "Chrome/134.0.0.0", "v1.2.3.4": a version, not an address. */
const VERSION_BEFORE = /(?:\b(?:version|ver|build|release)[ \t]{0,2}[=:]?[ \t]{0,2}['"]?|\bv|\b(?:Chrome|Edg|Edge|EdgA|CriOS|OPR|Firefox|Safari|Version|AppleWebKit)\/)$/i;

function redactAddresses(text: string, st: State): string {
  text = text.replace(IPV6_RE, (m, offset: number) => {
    // Most candidates are times (10:11:57.204): fewer than 7 colons and no "::".
    if (!m.includes('::') && m.split(':').length < 8) return m;
    const next = text[offset + m.length] ?? '';
    if (/[A-Za-z0-9_]/.test(next)) return m;
    let core = m;
    while (core.endsWith('.') || (core.endsWith(':') && !core.endsWith('::'))) core = core.slice(0, -1);
    const tail = m.slice(core.length);
    if (!isIPv6(core) || isNeutralIPv6(core)) return m;
    return st.ph.get('ip', core) + tail;
  });
  text = text.replace(MAC_RE, (m) => (/^(?:00[:-]){5}00$/.test(m) || /^(?:ff[:-]){5}ff$/i.test(m) ? m : st.ph.get('mac', m.replace(/-/g, ':'))));
  return text.replace(IPV4_RE, (m, offset: number) => {
    if (!isIPv4(m) || isNeutralIPv4(m)) return m;
    const before = text.slice(Math.max(0, offset - 40), offset);
    const line = before.slice(Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1);
    if (VERSION_BEFORE.test(line) || (/version/i.test(line) && !/address|\bip\b|server|host|client/i.test(line))) return m;
    return st.ph.get('ip', m);
  });
}

// -- identifiers ------------------------------------------------------------------------------

const THUMBPRINT_RE = /(?<![A-Za-z0-9_])[0-9A-Fa-f]{40}(?![A-Za-z0-9_])/g;
/** The same as certmgr shows it, in pairs; never started inside a longer run of pairs. */
const SPACED_THUMBPRINT_RE = /(?<![A-Za-z0-9_]|[0-9A-Fa-f] )(?:[0-9A-Fa-f]{2} ){19}[0-9A-Fa-f]{2}(?![A-Za-z0-9_]| [0-9A-Fa-f])/g;
const CERT_HASH_256_RE = /(?<![A-Za-z0-9_])(thumbprint|cert(?:ificate)? ?hash)("?[ \t]{0,4}[=:]?[ \t]{0,4}["']?)([0-9A-Fa-f]{64})(?![A-Za-z0-9_])/gi;
const SERIAL_RE = /(?<![A-Za-z0-9_])(serial ?number|serial ?no\.?|serial|SerialNumber)("?[ \t]{0,4}[=:#]?[ \t]{0,4}["']?)((?:[0-9A-Fa-f]{2}[: ]){3,63}[0-9A-Fa-f]{2}|[A-Za-z0-9-]{4,64})(?![A-Za-z0-9_-])/gi;

function redactIdentifiers(text: string, st: State): string {
  text = text.replace(SID_RE, (m) => st.ph.get('sid', m));
  text = text.replace(CERT_HASH_256_RE, (m, key: string, sep: string, hash: string) => key + sep + st.ph.get('thumbprint', hash));
  text = text.replace(SPACED_THUMBPRINT_RE, (m) => st.ph.get('thumbprint', m.replace(/ /g, '')));
  text = text.replace(THUMBPRINT_RE, (m, offset: number) => {
    // A file's content hash (CAS.log "ContentHash = …", expected/actual in a hash mismatch) identifies
    // nobody and tells the reader whether two downloads were the same file: it stays.
    const before = text.slice(Math.max(0, offset - 40), offset);
    const line = before.slice(before.lastIndexOf('\n') + 1);
    if (/hash/i.test(line) && !/cert|thumb/i.test(line)) return m;
    return st.ph.get('thumbprint', m);
  });
  return text.replace(SERIAL_RE, (m, key: string, sep: string, value: string) => {
    if (!/\d/.test(value)) return m;
    return key + sep + st.ph.get('serial', value.replace(/[: ]/g, ''));
  });
}

// -- DNS names anywhere --------------------------------------------------------------------------

/** A dotted word, found from its first dot; judged by `looksLikeFqdn`. */
const DOTTED_RE = /\.(?<=(?<![A-Za-z0-9_.-])([A-Za-z0-9_-]{0,63})\.)([A-Za-z0-9_.-]{1,253})/g;

function redactFqdns(text: string, st: State): string {
  return replaceSpans(text, DOTTED_RE, (m) => {
    const rest = m[2]!;
    if (!/[A-Za-z][._-]*$/.test(rest)) return undefined;
    const start = m.index - m[1]!.length;
    const word = m[1]! + m[0];
    const core = word.replace(/^[._-]+/, '').replace(/[._-]+$/, '');
    if (!core.includes('.')) return undefined;
    const lead = word.indexOf(core);
    const prev = start > 0 ? text[start - 1]! : '';
    const next = text[start + word.length] ?? '';
    // A path segment or a call (`\\folder.name\\`, `System.IO.File(`) is a host only with a known top-level label.
    const strict = prev === '\\' || prev === '/' || next === '(' || next === '\\' || prev === '$';
    if (!looksLikeFqdn(core, strict)) return undefined;
    return [start + lead, start + lead + core.length, hostPlaceholder(st, core)];
  });
}

// -- names learned above, wherever else they appear -----------------------------------------------

function redactKnownNames(text: string, known: Map<string, string>): string {
  if (known.size === 0) return text;
  const names = [...known.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
  // Not inside a longer word, a dotted name, a placeholder or a share name (`ADMIN$`).
  const re = new RegExp(`(?<![A-Za-z0-9_.<-])(?:${names.join('|')})(?![A-Za-z0-9_$-]|\\.[A-Za-z0-9])`, 'gi');
  return text.replace(re, (m) => known.get(m.toLowerCase()) ?? m);
}

/**
 * Replaces what identifies a machine, a person, an organisation or a secret in `text` by
 * placeholders, and says what it replaced. Pure and synchronous; linear in the length of `text`.
 */
export function redact(text: string): Redaction {
  const st: State = { ph: new Placeholders(), knownHosts: new Map(), knownUsers: new Map(), knownDomains: new Map(), hostMemo: new Map() };
  let t = text;
  const has = (s: string): boolean => t.includes(s);
  // Secrets first: a connection string or a token holds host names and base64 that later passes would cut up.
  if (has('-----BEGIN')) t = redactPrivateKeys(t, st);
  t = redactRuleSecrets(t, st);
  t = redactKeyValueSecrets(t, st);
  if (has('://')) t = redactUrls(t, st);
  if (has('@')) t = redactEmails(t, st);
  if (has('\\\\')) t = redactUnc(t, st);
  t = redactProfiles(t, st);
  t = redactIdentifiers(t, st);
  t = redactDomainUsers(t, st);
  t = redactIisLines(t, st);
  t = redactUserFields(t, st);
  if (/AD ?site/i.test(t)) t = redactAdSites(t, st);
  t = redactHostFields(t, st);
  t = redactAddresses(t, st);
  t = redactFqdns(t, st);
  t = redactKnownNames(t, st.knownHosts);
  t = redactKnownNames(t, st.knownUsers);
  t = redactKnownNames(t, st.knownDomains);
  t = st.ph.renumber(t);
  const replaced = st.ph.counts();
  return { text: t, replaced, summary: summarize(replaced) };
}
