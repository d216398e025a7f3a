import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleIndexPath, bundledIndexOf, hashKbFiles, kbHash, loadBundle, writeBundle } from '../../kb/bundle';
import type { LoadedKb } from '../../kb/load-kb';
import { KB_DIR, readKbSources } from '../../kb/sources';
import { decodeCode } from '../../matchers/codes/decode-code';
import { checkedCodeTable, parseCodeTable } from '../../matchers/codes/code-table';
import { diagnoseText } from '../../matchers/diagnose';
import { realKb } from '../helpers/kb';

/**
 * The prebuilt KB bundle answers exactly as the KB loaded from its Markdown: every entry's
 * and family's example gets the same diagnosis, byte for byte; and a bundle that does not
 * match the files in kb/ is refused with a reason, never used.
 */
const dir = mkdtempSync(join(tmpdir(), 'kb-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const markdown = realKb();
const sources = readKbSources(KB_DIR);
const hash = kbHash(sources, KB_DIR);
const path = join(dir, 'kb-bundle.json');
writeBundle(path, markdown, hash);

function fromBundle(): LoadedKb {
  const got = loadBundle(path, sources, hash);
  if (!('loaded' in got)) throw new Error(got.reason);
  return got.loaded;
}

describe('the prebuilt KB bundle', () => {
  const bundled = fromBundle();

  it('holds the same entries, families and code table', () => {
    expect(bundled.entries.map((e) => e.front.id)).toEqual(markdown.entries.map((e) => e.front.id));
    expect(bundled.families.map((f) => f.def.id)).toEqual(markdown.families.map((f) => f.def.id));
    expect(bundled.stats.codes).toBe(markdown.stats.codes);
    expect(bundled.stats.signatures).toBe(markdown.stats.signatures);
    expect(bundled.problems).toEqual([]);
  });

  it('gives every entry\'s front matter and body as the Markdown does, read when first used', () => {
    expect(bundled.entries.map((e) => ({ ...e.front }))).toEqual(markdown.entries.map((e) => e.front));
    expect(bundled.entries.map((e) => [...e.body.sections])).toEqual(markdown.entries.map((e) => [...e.body.sections]));
    expect(bundled.entries.map((e) => e.body.steps)).toEqual(markdown.entries.map((e) => e.body.steps));
    expect(bundled.kb.entries.map((a) => ({ ...a }))).toEqual(markdown.kb.entries.map((a) => ({ ...a })));
  });

  it('gives the same diagnosis as the Markdown on every example of every entry and family, and on questions', () => {
    const texts = [
      ...markdown.entries.flatMap((e) => [...e.front.examples.match.map((m) => m.text), ...e.front.examples.no_match, ...e.front.questions.map((q) => q.text), e.front.title]),
      ...markdown.families.flatMap((f) => [...f.examples.match.map((m) => m.text), ...f.examples.no_match]),
      'download stuck at 27% then restarts from the beginning',
      '0x80091007',
    ];
    expect(texts.length).toBeGreaterThan(300);
    for (const text of texts) {
      expect(JSON.stringify(diagnoseText(text, bundled.kb)), text.slice(0, 80)).toBe(JSON.stringify(diagnoseText(text, markdown.kb)));
    }
  });

  it('reads a code\'s rows from the tables on demand, exactly as the full parse reads them', () => {
    const full = markdown.kb.codes;
    const lazy = checkedCodeTable(sources.codes, full.size);
    expect(lazy.size).toBe(full.size);
    // One code in ten, and every code with a community row (the ones whose rows are reordered).
    let community = 0;
    let i = 0;
    for (const [value, rows] of full.rows) {
      const fromCommunity = rows.some((r) => r.community);
      if (i++ % 10 !== 0 && !fromCommunity) continue;
      expect(lazy.rows.get(value), `0x${value.toString(16)}`).toEqual(rows);
      if (fromCommunity) community++;
    }
    // Rows from community lists are among them, and sorted after Microsoft's.
    expect(community).toBeGreaterThan(100);
    // Codes without a row, including ones whose digits occur inside other rows' messages.
    for (const value of [0x80070000, 0xa0123456, 0x8007ffff, -1, 2 ** 32, 0.5]) {
      expect(full.rows.get(value)).toBeUndefined();
      expect(lazy.rows.get(value)).toBeUndefined();
      expect(lazy.rows.has(value)).toBe(false);
    }
    for (const value of [0x80070005, 0x80190194, 0x80072efe, 0x87d0027e, 0x80091007, 0x80070070, 0xa0123456]) {
      expect(decodeCode(value, lazy)).toEqual(decodeCode(value, full));
    }
    // Listing the table parses it whole.
    expect([...lazy.rows.keys()]).toEqual([...full.rows.keys()]);
  });

  it('reads a row whose cells carry spaces, and not a code quoted inside another row', () => {
    const files = [{
      name: 'kb/codes/test.tsv',
      text: '# test table\r\ncode\tname\tmessage\tsource\r\n  0x80070005 \tE_ACCESSDENIED\tAccess is denied (not 0x80070002).\twinerror.h\r\n0x80070002\tERROR_FILE_NOT_FOUND\tThe system cannot find the file specified.\twinerror.h\r\n',
    }];
    const lazy = checkedCodeTable(files, 2);
    expect(lazy.rows.get(0x80070002)).toEqual(parseCodeTable(files).table.rows.get(0x80070002));
    expect(lazy.rows.get(0x80070005)).toEqual(parseCodeTable(files).table.rows.get(0x80070005));
    expect(lazy.rows.get(0x80070005)?.[0]).toMatchObject({ name: 'E_ACCESSDENIED', line: 3 });
  });

  it('is refused when the KB files changed since it was built', () => {
    const edited = { ...sources, entries: sources.entries.map((e, i) => (i === 0 ? { ...e, text: e.text + '\n' } : e)) };
    const got = loadBundle(path, edited, kbHash(edited, KB_DIR));
    expect(got).toEqual({ reason: expect.stringContaining('built from other KB files') });
  });

  it('is checked by a hash read straight from the files, equal to the hash of their text, and changed by any edit', () => {
    const direct = hashKbFiles(KB_DIR);
    expect(direct.hash).toBe(hash);
    expect(direct.codes).toEqual(sources.codes);
    const copy = join(dir, 'kb-copy');
    cpSync(KB_DIR, copy, { recursive: true });
    expect(hashKbFiles(copy).hash).toBe(hash);
    writeFileSync(join(copy, 'domain.yaml'), `${sources.domain.text}\n`);
    expect(hashKbFiles(copy).hash).not.toBe(hash);
    expect(hashKbFiles(copy).hash).toBe(kbHash(readKbSources(copy), copy));
    rmSync(join(copy, 'regex-safety.json'));
    expect(hashKbFiles(copy).hash).toBe(kbHash(readKbSources(copy), copy));
  });

  it('keeps the full-text index in a file of its own, read on the first search only', () => {
    expect(bundleIndexPath(path)).toBe(join(dir, 'kb-bundle.index.json'));
    expect(readFileSync(path, 'utf8')).not.toContain('"invertedIndex"');
    const kb = fromBundle();
    const aside = `${bundleIndexPath(path)}.aside`;
    renameSync(bundleIndexPath(path), aside);
    try {
      // A code and a log the signatures answer need no index.
      expect(diagnoseText('0x80091007', kb.kb).symptom?.id).toBe('hash-mismatch');
      // A question does: with the file gone, it says what to do.
      expect(() => diagnoseText('download stuck at 27% then restarts from the beginning', kb.kb)).toThrow(/full-text index .* cannot be read .*npm run build/);
    } finally {
      renameSync(aside, bundleIndexPath(path));
    }
    expect(diagnoseText('download stuck at 27% then restarts from the beginning', fromBundle().kb).matches.length).toBeGreaterThan(0);
  });

  it('refuses an index file built for other KB files when it reads it, and a bundle without one at start', () => {
    const otherPath = join(mkdtempSync(join(dir, 'other-build-')), 'kb-bundle.json');
    cpSync(path, otherPath);
    writeFileSync(bundleIndexPath(otherPath), JSON.stringify({ ...bundledIndexOf(markdown, hash), hash: 'f'.repeat(64) }));
    const got = loadBundle(otherPath, sources, hash);
    if (!('loaded' in got)) throw new Error(got.reason);
    expect(() => diagnoseText('download stuck at 27% then restarts from the beginning', got.loaded.kb)).toThrow(/built for other KB files .*npm run build/);
    rmSync(bundleIndexPath(otherPath));
    expect(loadBundle(otherPath, sources, hash)).toEqual({ reason: expect.stringContaining('no full-text index beside it') });
  });

  it('is refused with a reason when missing, unreadable or of another format', () => {
    expect(loadBundle(join(dir, 'missing.json'), sources, hash)).toEqual({ reason: expect.stringContaining('no KB bundle') });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": 1, "hash": "');
    expect(loadBundle(broken, sources, hash)).toEqual({ reason: expect.stringContaining('cannot be read') });
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 99, hash }));
    expect(loadBundle(other, sources, hash)).toEqual({ reason: expect.stringContaining('format 99') });
  });
});
