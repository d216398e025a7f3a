import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOf, kbHash, loadBundle } from '../../kb/bundle';
import type { LoadedKb } from '../../kb/load-kb';
import { KB_DIR, readKbSources } from '../../kb/sources';
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
writeFileSync(path, JSON.stringify(bundleOf(markdown, hash)));

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

  it('is refused when the KB files changed since it was built', () => {
    const edited = { ...sources, entries: sources.entries.map((e, i) => (i === 0 ? { ...e, text: e.text + '\n' } : e)) };
    const got = loadBundle(path, edited, kbHash(edited, KB_DIR));
    expect(got).toEqual({ reason: expect.stringContaining('built from other KB files') });
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
