import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { redact } from '../../capture/redact';
import { hostileText, logLike, options } from './settings';

/**
 * Redaction whatever surrounds the value: a generated host, address, account or e-mail address
 * never survives, the codes and IDs that diagnose always do, and redacting twice changes nothing
 * more. The surrounding text mixes log words, codes, punctuation, quotes, brackets, slashes,
 * spaces and letters; one separator character stands between it and the value, as in a real log
 * (a value glued to other letters is another word).
 *
 * Generated names use letters that the surrounding text never contains (G J K M N Q W), so that
 * finding the name in the output can only mean that it leaked, not that the noise spelled it.
 */

const surrounding: fc.Arbitrary<string> = fc.oneof(logLike(12), hostileText(24), fc.constant(''));

/** Characters that end a token in the logs people paste. */
const SEPARATORS = [' ', '\t', '"', "'", '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', '=', ':', '|', '!', '\n', '\r\n', ' - ', ': '];
const separator = (exclude = ''): fc.Arbitrary<string> =>
  fc.constantFrom(...SEPARATORS.filter((s) => ![...exclude].some((c) => s.includes(c))));

const around = (value: fc.Arbitrary<string>, exclude = ''): fc.Arbitrary<[string, string]> =>
  fc.tuple(surrounding, separator(exclude), value, separator(exclude), surrounding)
    .map(([a, s1, v, s2, b]) => [a + s1 + v + s2 + b, v]);

const letters = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'gjkmnqw'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const anyCase = (s: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(s, fc.constantFrom('lower', 'upper', 'first')).map(([v, c]) =>
    c === 'lower' ? v : c === 'upper' ? v.toUpperCase() : v.charAt(0).toUpperCase() + v.slice(1));

/** A machine's short name: DP01, SCCM01, WKS0421 in shape. */
const netbios = anyCase(fc.tuple(letters(2, 6), digits(1, 4)).map(([l, d]) => l + d));
const TLDS = ['com', 'net', 'org', 'local', 'corp', 'lan', 'internal', 'intranet', 'io', 'de', 'uk', 'nl', 'lab'];
const fqdn = anyCase(fc.tuple(netbios, fc.array(letters(2, 8), { minLength: 0, maxLength: 3 }), fc.constantFrom(...TLDS))
  .map(([h, mid, tld]) => [h, ...mid, tld].join('.')));
const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .filter(([a]) => a !== 127)
  .map((o) => o.join('.'));
const ipv6 = fc.tuple(
  fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffff })), { minLength: 8, maxLength: 8 }),
  fc.boolean(),
  fc.boolean(),
).map(([groups, compress, upper]) => {
  let text = groups.map((g) => g.toString(16)).join(':');
  if (compress) {
    // The longest run of two or more zero groups becomes "::".
    let best = [-1, 0];
    for (let i = 0; i < 8; i++) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > best[1]! && j - i >= 2) best = [i, j - i];
    }
    if (best[0]! >= 0) {
      const [i, n] = best as [number, number];
      text = groups.slice(0, i).map((g) => g.toString(16)).join(':') + '::' + groups.slice(i + n).map((g) => g.toString(16)).join(':');
    }
  }
  return upper ? text.toUpperCase() : text;
}).filter((a) => a !== '::' && a !== '::1' && a !== '0:0:0:0:0:0:0:1' && a !== '0:0:0:0:0:0:0:0');
const userName = fc.tuple(letters(2, 6), digits(1, 3), fc.option(letters(2, 5), { nil: undefined }))
  .map(([l, d, tail]) => (tail === undefined ? l + d : `${l}${d}.${tail}`));
const domain = anyCase(letters(3, 8));
const email = fc.tuple(userName, fqdn).map(([u, d]) => `${u}@${d}`);

/** A host name in each place ConfigMgr logs put one. */
const hostInContext: fc.Arbitrary<[string, string]> = fc.tuple(fc.oneof(netbios, fqdn), fc.integer({ min: 0, max: 9 })).map(([h, k]) => {
  const forms = [
    `http://${h}/SMS_DP_SMSPKG$/PS100045`,
    `https://${h}:443/SMS_DP_SMSPKG$/Content_7b0b6e1c-1d52-4bd2-a2a0-0a6e3c0f6b8e.1/setup.exe`,
    `\\\\${h}\\SMS_PS1\\OSD`,
    `Server=${h}`,
    `ServerName="${h}"`,
    `DP: ${h}`,
    `MP: ${h}`,
    `Computer: ${h}`,
    `server ${h}`,
    `<ServerRemoteName>${h}</ServerRemoteName>`,
  ];
  return [forms[k]!, h];
});

const gone = (out: string, value: string): boolean => !out.toLowerCase().includes(value.toLowerCase());

describe('redact: nothing generated survives', () => {
  test('host names and FQDNs in URLs, UNC paths and fields', () => {
    fc.assert(fc.property(around(hostInContext.map(([t]) => t)), hostInContext, surrounding, ([text], [form, host], tail) => {
      const out = redact(text + ' ' + form + ' ' + tail).text;
      expect(gone(out, host), out).toBe(true);
    }), options(1500));
  });

  test('FQDNs in prose', () => {
    fc.assert(fc.property(around(fqdn), ([text, host]) => {
      const out = redact(text).text;
      expect(gone(out, host), out).toBe(true);
    }), options(1500));
  });

  test('IPv4 addresses', () => {
    fc.assert(fc.property(around(ipv4), ([text, ip]) => {
      const out = redact(text).text;
      expect(new RegExp(`(?<![0-9.])${ip.replace(/\./g, '\\.')}(?![0-9])`).test(out), out).toBe(false);
    }), options(1500));
  });

  test('IPv6 addresses (a colon next to one would make it another address)', () => {
    fc.assert(fc.property(around(ipv6, ':'), ([text, ip]) => {
      const out = redact(text).text;
      expect(gone(out, ip), out).toBe(true);
    }), options(1500));
  });

  test('DOMAIN\\user and DOMAIN\\machine$ (a "]" before one makes it a path, "[Folder]Name\\Sub")', () => {
    const account = fc.tuple(domain, userName, fc.boolean()).map(([d, u, machine]) => [`${d}\\${u}${machine ? '$' : ''}`, d, u] as const);
    fc.assert(fc.property(fc.tuple(surrounding, separator(']'), account, separator(), surrounding), ([a, s1, [value, d, u], s2, b]) => {
      const out = redact(a + s1 + value + s2 + b).text;
      expect(gone(out, d) && gone(out, u), out).toBe(true);
    }), options(1500));
  });

  test('UPNs and e-mail addresses', () => {
    fc.assert(fc.property(around(email), ([text, address]) => {
      const out = redact(text).text;
      expect(gone(out, address.slice(0, address.indexOf('@'))), out).toBe(true);
      expect(gone(out, address.slice(address.indexOf('@') + 1)), out).toBe(true);
    }), options(1500));
  });

  test('the user name of a profile path', () => {
    const profile = fc.tuple(userName, fc.option(letters(2, 6), { nil: undefined }), fc.constantFrom('\\AppData\\Local\\Temp\\ccmsetup.log', '\\Downloads\\setup.exe', ''))
      .map(([u, second, rest]) => {
        const name = second !== undefined && rest !== '' ? `${u} ${second}` : u;
        return [`C:\\Users\\${name}${rest}`, u] as const;
      });
    fc.assert(fc.property(fc.tuple(surrounding, separator(), profile, separator(), surrounding), ([a, s1, [path, u], s2, b]) => {
      const out = redact(a + s1 + path + s2 + b).text;
      expect(gone(out, u), out).toBe(true);
    }), options(1500));
  });
});

/** What diagnoses: codes in every spelling, statuses, package and content IDs, file names, versions. */
const keeper: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0x80000000, max: 0xffffffff }).map((n) => '0x' + n.toString(16).padStart(8, '0')),
  fc.integer({ min: 0x80000000, max: 0xffffffff }).map((n) => '0x' + n.toString(16).toUpperCase()),
  fc.integer({ min: -2147483648, max: -1 }).map(String),
  fc.tuple(fc.constantFrom('PS1', 'ABC', 'CM1', 'P01'), fc.integer({ min: 0, max: 0xfffff })).map(([s, n]) => s + n.toString(16).toUpperCase().padStart(5, '0')),
  fc.tuple(fc.constantFrom(400, 401, 403, 404, 500, 503), fc.integer({ min: 0, max: 19 })).map(([s, n]) => `${s}.${n}`),
  fc.uuid().map((u) => `{${u.toUpperCase()}}`),
  fc.uuid().map((u) => `Content_${u}.1`),
  fc.constantFrom('setup.exe', 'install.ps1', 'Agent.dll.config', 'data1.cab', 'SMS_DP_SMSPKG$', 'SCCMContentLib', 'ccmcache', 'SMSPKGC$'),
  fc.tuple(fc.integer({ min: 5, max: 10 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 256, max: 30000 }), fc.integer({ min: 0, max: 2000 })).map((v) => v.join('.')),
);

describe('redact: what diagnoses stays', () => {
  test('codes, statuses, package and content IDs, file names and versions survive', () => {
    fc.assert(fc.property(fc.array(around(keeper), { minLength: 1, maxLength: 4 }), (parts) => {
      const out = redact(parts.map(([t]) => t).join(' ')).text;
      for (const [, k] of parts) expect(out, k).toContain(k);
    }), options(1500));
  });
});

describe('redact: idempotent and total', () => {
  const anyValue = fc.oneof(hostInContext.map(([t]) => t), fqdn, ipv4, ipv6, email, keeper,
    fc.tuple(domain, userName).map(([d, u]) => `${d}\\${u}`), userName.map((u) => `C:\\Users\\${u}\\AppData`));

  test('redacting the result again changes nothing more', () => {
    fc.assert(fc.property(fc.array(fc.tuple(surrounding, separator(), anyValue), { maxLength: 6 }), surrounding, (parts, last) => {
      const text = parts.map(([a, s, v]) => a + s + v).join(' ') + ' ' + last;
      const once = redact(text);
      const twice = redact(once.text);
      expect(twice.text).toBe(once.text);
      expect(twice.summary).toBe('nothing replaced');
    }), options(1500));
  });

  test('never throws on any text, and the summary matches the counts', () => {
    fc.assert(fc.property(fc.oneof(hostileText(200), logLike(40)), (text) => {
      const r = redact(text);
      expect(typeof r.text).toBe('string');
      const total = Object.values(r.replaced).reduce((a, b) => a + b, 0);
      expect(r.summary === 'nothing replaced').toBe(total === 0);
      // Every value counted is in the text as its placeholder, and every placeholder is counted.
      const kindOf: Record<string, string> = { ip: 'address', mac: 'address' };
      const distinct = new Set(r.text.match(/<(?:host|ip|mac|user|domain|email|site|sid|thumbprint|serial|secret)-\d+>/g) ?? []);
      const counted: Record<string, number> = {};
      for (const p of distinct) {
        const label = p.slice(1, p.lastIndexOf('-'));
        const kind = kindOf[label] ?? label;
        counted[kind] = (counted[kind] ?? 0) + 1;
      }
      expect(counted).toEqual(r.replaced);
    }), options(2000));
  });
});
