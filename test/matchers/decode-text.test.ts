import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeLogBytes } from '../../matchers/decode-text';
import { diagnoseText } from '../../matchers/diagnose';
import { createLineDecoder, NotTextError } from '../../matchers/line-decoder';
import { realKb } from '../helpers/kb';

/**
 * NUL padding is read as text, binary data is still refused (the rule is documented in
 * matchers/decode-text.ts), whether the bytes are decoded whole or streamed in chunks.
 */
const kb = realKb().kb;

/** A CAS.log excerpt in CMTrace's own format, as the client writes it. */
const CAS = [
  'Download completed for content PackageGUID.X under context System',
  'There are 0 files in the directory compared to 1 expected files',
  'Hash does not match expected <Content ContentId="PackageGUID" Version="X"><FileContent Name="Package Name" Hash="SomeHashValuenumber" HashAlgorithm="SHA1"/></Content>',
  'Hash matching failed.',
  'Download failed for content PackageGUID.X under context System, error 0x80091007',
].map((m, i) => `<![LOG[${m}]LOG]!><time="00:31:2${i}.000+000" date="03-25-2010" component="ContentAccess" context="" type="${i >= 3 ? 3 : 1}" thread="2096" file="contentaccess.cpp:${100 + i}">`).join('\r\n') + '\r\n';

const NULS = 64 * 1024;

/** Reproducible "random" bytes (xorshift32), standing in for compressed data and machine code. */
let seed = 0x2545f491;
function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    b[i] = seed & 0xff;
  }
  return b;
}
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const utf16 = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

/** Streams `bytes` through the line decoder in chunks of `size`, as the command line does. */
function streamLines(bytes: Uint8Array, size = 65536): string[] {
  const d = createLineDecoder();
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...d.push(bytes.subarray(at, at + size)));
  out.push(...d.end());
  return out;
}

function text(bytes: Uint8Array): string {
  const d = decodeLogBytes(bytes);
  if (!d.ok) throw new Error(`refused: ${d.reason}`);
  return d.text;
}

/** What a diagnosis says, without anything that depends on how it was fed. */
function answer(t: string): unknown {
  const d = diagnoseText(t, kb, { fileName: 'CAS.log' });
  return { format: d.format, lines: d.lines, matches: d.matches.map((m) => [m.id, m.confidence, m.score, m.evidence]), codes: d.codes.map((c) => c.code), warnings: d.warnings };
}

describe('logs padded with NULs are read as text', () => {
  const clean = answer(CAS);

  test('the excerpt itself is diagnosed (the baseline the padded copies must equal)', () => {
    const d = diagnoseText(CAS, kb, { fileName: 'CAS.log' });
    expect(d.format).toBe('cmtrace');
    expect(d.matches[0]?.id).toBe('webdav-drive-root-hash-mismatch');
  });

  test.each([
    ['UTF-8', utf8, 1],
    ['UTF-16 LE with a BOM', utf16, 2],
  ])('%s followed by 64 KB of NULs: diagnosed like the text without them', (_name, encode, width) => {
    const bytes = Buffer.concat([encode(CAS), Buffer.alloc(NULS * width)]);
    const decoded = decodeLogBytes(bytes);
    expect(decoded).toMatchObject({ ok: true, encoding: width === 1 ? 'utf-8' : 'utf-16le' });
    expect(text(bytes)).toBe(CAS);
    expect(answer(text(bytes))).toEqual(clean);
    for (const size of [65536, 4096, 1000, 7]) expect(streamLines(bytes, size)).toEqual(CAS.split('\r\n').slice(0, -1));
  });

  test.each([
    ['UTF-8', utf8, 1],
    ['UTF-16 LE with a BOM', utf16, 2],
  ])('%s with NUL blocks between lines and inside a torn line', (_name, _encode, width) => {
    const lines = CAS.split('\r\n').slice(0, -1);
    const encode = (s: string): Buffer => Buffer.from(s, width === 1 ? 'utf8' : 'utf16le');
    const block = (n: number): Buffer => Buffer.alloc(n * width);
    // Blocks after a line break add no line; a block that cuts a line short ends it.
    const bytes = Buffer.concat([
      Buffer.from(width === 1 ? [] : [0xff, 0xfe]), block(512), encode(`${lines[0]}\r\n`), block(4096), encode(`${lines[1]}\r\n`),
      encode('<![LOG[Download sta'), block(3000), encode(`${lines.slice(2).join('\r\n')}\r\n`), block(NULS),
    ]);
    expect(text(bytes)).toBe(`${lines[0]}\r\n${lines[1]}\r\n<![LOG[Download sta\n${lines.slice(2).join('\r\n')}\r\n`);
    expect(streamLines(bytes, 1024)).toEqual([lines[0], lines[1], '<![LOG[Download sta', ...lines.slice(2)]);
    const d = diagnoseText(text(bytes), kb, { fileName: 'CAS.log' });
    expect(d.matches[0]?.id).toBe('webdav-drive-root-hash-mismatch');
    expect(d.codes.map((c) => c.code)).toContain('0x80091007');
  });

  test('UTF-8 that starts with a NUL block (more than the first 4 KB) is still UTF-8', () => {
    const bytes = Buffer.concat([Buffer.alloc(NULS), utf8(CAS)]);
    expect(decodeLogBytes(bytes)).toMatchObject({ ok: true, encoding: 'utf-8', text: CAS });
    expect(streamLines(bytes, 4096)).toEqual(CAS.split('\r\n').slice(0, -1));
  });

  test('UTF-16 LE without a BOM, padded with NULs, is still recognised as UTF-16', () => {
    const bytes = Buffer.concat([Buffer.from(CAS, 'utf16le'), Buffer.alloc(NULS)]);
    expect(decodeLogBytes(bytes)).toMatchObject({ ok: true, encoding: 'utf-16le', text: CAS });
  });

  test('a short paste followed by NUL padding is text', () => {
    expect(decodeLogBytes(Buffer.concat([utf8('0x80190194\n'), Buffer.alloc(NULS)]))).toMatchObject({ ok: true, text: '0x80190194\n' });
    expect(decodeLogBytes(Buffer.alloc(NULS))).toMatchObject({ ok: true, text: '' });
  });
});

describe('binary data is still refused', () => {
  const pe = (): Buffer => {
    // An 'MZ' DOS header with the PE offset, the DOS stub, zero padding, a PE header, then code.
    const head = Buffer.alloc(0x400);
    head.write('MZ', 0, 'latin1');
    head.writeUInt16LE(0x90, 2);
    head.writeUInt32LE(0x80, 0x3c);
    head.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
    head.write('PE\0\0', 0x80, 'latin1');
    head.writeUInt16LE(0x8664, 0x84);
    head.write('.text\0\0\0', 0x188, 'latin1');
    return Buffer.concat([head, randomBytes(60_000)]);
  };
  const png = (): Buffer => Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0, 0xc8, 8, 6, 0, 0, 0]),
    randomBytes(20_000),
  ]);
  const zip = (): Buffer => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), randomBytes(5000)]);

  test.each([
    ['an MZ/PE executable', pe],
    ['a PNG image', png],
    ['a zip', zip],
    ['the Node.js executable itself', () => readFileSync(process.execPath).subarray(0, 256 * 1024)],
    ['random bytes without any NUL', () => Buffer.from([...randomBytes(20_000)].map((b) => b || 1))],
  ])('%s: refused whole and streamed', (_name, make) => {
    const bytes = make();
    const d = decodeLogBytes(bytes);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/^the data is not text/);
    expect(() => streamLines(bytes, 4096)).toThrow(NotTextError);
  });

  test('NUL padding does not make a binary pass: a PE header padded with 64 KB of NULs before the code is refused', () => {
    const bytes = Buffer.concat([pe().subarray(0, 0x400), Buffer.alloc(NULS), randomBytes(20_000)]);
    expect(decodeLogBytes(bytes).ok).toBe(false);
    expect(() => streamLines(bytes)).toThrow(NotTextError);
  });

  test('NULs scattered between other bytes (short runs) count against the data', () => {
    const words = Buffer.alloc(4000);
    for (let i = 0; i < words.length; i += 4) words.writeUInt32LE(0x41 + (i % 26), i); // "A\0\0\0B\0\0\0..."
    expect(decodeLogBytes(words).ok).toBe(false);
  });

  test('invalid UTF-8 throughout is refused; a few legacy-encoded characters in a log are not', () => {
    const latin1 = Buffer.from([...randomBytes(8000)].map((b) => 0x80 | (b & 0x3f)));
    expect(decodeLogBytes(latin1).ok).toBe(false);
    const ansi = Buffer.from(`${CAS}Fehler beim Herunterladen: Zugriff verweigert \xfcber Verteilungspunkt\r\n`, 'latin1');
    expect(decodeLogBytes(ansi).ok).toBe(true);
  });

  test('lines are never handed out before the data is judged', () => {
    const d = createLineDecoder();
    // Text lines first, then binary within the first 4,096 characters: nothing is released.
    const bytes = Buffer.concat([utf8('line one\nline two\n'), Buffer.from([...randomBytes(6000)].map((b) => (b % 8) + 1))]);
    expect(d.push(bytes.subarray(0, 18))).toEqual([]);
    expect(() => d.push(bytes.subarray(18))).toThrow(NotTextError);
  });
});
