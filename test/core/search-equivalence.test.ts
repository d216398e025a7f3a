import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import YAML from 'yaml';
import { sectionText } from '../../kb/entry-body';
import type { EntryFrontMatter } from '../../kb/entry-schema';
import type { LoadedKb } from '../../kb/load-kb';
import { buildSearchIndex, loadSearchIndex, lunrSearch, type SearchDocument, type SearchIndex } from '../../kb/search-index';
import { searchTokens } from '../../kb/search-tokens';
import { realKb } from '../helpers/kb';

/**
 * `SearchIndex#search` computes lunr's scores without lunr's query machinery. It must
 * answer exactly as lunr's own `index.query` (kept as `lunrSearch`): the same entries, the
 * same scores, in the same order, for an index built from the real KB and for one
 * serialized with `toJSON()` and restored with `loadSearchIndex`.
 */

const loaded = realKb();

/** The documents kb/load-kb.ts indexes, built the same way. */
function documents(kb: LoadedKb): SearchDocument[] {
  return kb.entries.map((e, ref) => ({
    ref,
    title: e.front.title,
    symptoms: `${sectionText(e.body, 'symptoms')} ${e.front.tags.join(' ')}\n${e.front.questions.map((q) => q.text).join('\n')}`,
    codes: signatureCodes(e.front).join(' '),
    body: [...e.body.sections.values()].map((s) => s.text).join('\n'),
  }));
}

/** A copy of load-kb.ts's (private) signatureCodes. */
function signatureCodes(front: EntryFrontMatter): string[] {
  const out: string[] = [];
  for (const s of front.signatures) {
    for (const c of [...(s.all ?? []), ...(s.any ?? [])]) {
      if ('code' in c) for (const v of Array.isArray(c.code) ? c.code : [c.code]) {
        out.push(typeof v === 'number' ? '0x' + (v >>> 0).toString(16).padStart(8, '0') : String(v));
      }
      if ('http' in c) out.push(c.http.substatus !== undefined ? `${c.http.status}.${c.http.substatus}` : String(c.http.status));
    }
  }
  return out;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Texts to ask: the KB's own titles, symptoms, questions and examples, the dev eval cases, and generated token mixes. */
function searchCorpus(kb: LoadedKb, index: SearchIndex): string[] {
  const texts: string[] = [];
  for (const e of kb.entries) {
    texts.push(e.front.title, sectionText(e.body, 'symptoms'));
    for (const q of e.front.questions) texts.push(q.text);
    for (const m of e.front.examples.match) texts.push(m.text);
    texts.push(...e.front.examples.no_match);
  }
  for (const f of kb.families) {
    for (const m of f.examples.match) texts.push(m.text);
    texts.push(...f.examples.no_match);
  }
  const dev = YAML.parse(readFileSync(fileURLToPath(new URL('../../eval/cases/dev.yaml', import.meta.url)), 'utf8')) as { text?: unknown }[];
  for (const c of dev) if (typeof c.text === 'string') texts.push(c.text);

  // Token mixes: words of the KB, the index's own (stemmed) terms, codes, stop words,
  // words that stem alike, repeats, and words the index has never seen.
  const words = [...new Set(kb.entries.flatMap((e) => searchTokens(e.text)))].sort();
  const terms = ((index.toJSON() as { invertedIndex: [string, unknown][] }).invertedIndex).map(([t]) => t);
  const extra = [
    'the', 'a', 'and', 'of', 'is', 'not', 'running', 'runs', 'run', 'download', 'downloads', 'downloaded', 'downloading',
    '0x80190194', '80190194', '-2145844844', '404.7', '404', 'zzqx', 'qwertyuiop', 'xyzzy-17', 'C:\\Windows\\ccmcache\\a',
    'OSDResults.exe.config', 'hash', 'mismatch', 'Hash', 'MISMATCH', '-', '~', 'field:value^2~1', '"quoted"', 'constructor', '__proto__', 'toString',
  ];
  const pools = [words, terms, extra];
  const next = random(20240611);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  for (let i = 0; i < 200; i++) {
    const n = i < 10 ? 1 : i < 190 ? 2 + Math.floor(next() * 60) : 300 + Math.floor(next() * 200);
    const mix: string[] = [];
    for (let k = 0; k < n; k++) mix.push(next() < 0.1 && mix.length > 0 ? pick(mix) : pick(pick(pools)));
    texts.push(mix.join(next() < 0.5 ? ' ' : '\n'));
  }
  return texts;
}

function expectSame(actual: ReadonlyMap<number, number>, expected: ReadonlyMap<number, number>, what: string): void {
  expect([...actual.keys()], what).toEqual([...expected.keys()]);
  for (const [ref, score] of expected) {
    const got = actual.get(ref)!;
    if (Math.abs(got - score) > 1e-9 * Math.max(Math.abs(score), Number.MIN_VALUE)) {
      expect(got, `${what}: entry ${ref}`).toBe(score);
    }
  }
}

describe('fast search answers as lunr', () => {
  const built = buildSearchIndex(documents(loaded));
  const restored = loadSearchIndex(JSON.parse(JSON.stringify(built.toJSON())));
  const corpus = searchCorpus(loaded, built);
  const lunrAnswers = new Map<string, Map<number, number>>();
  const lunrAnswer = (text: string): Map<number, number> => {
    let a = lunrAnswers.get(text);
    if (!a) lunrAnswers.set(text, (a = lunrSearch(built, text)));
    return a;
  };

  test('the corpus is large and finds things', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const answered = corpus.filter((t) => lunrAnswer(t).size > 0).length;
    expect(answered).toBeGreaterThan(corpus.length * 0.9);
  });

  test('an index built as load-kb.ts does answers as the loaded KB', () => {
    for (const text of corpus.slice(0, 100)) expectSame(built.search(text), loaded.kb.search(text), text);
  });

  test('a built index: same entries, scores and order as lunr\'s index.query', () => {
    for (const text of corpus) expectSame(built.search(text), lunrAnswer(text), text);
  });

  test('a restored index: the same as its own lunr index and as the index that was saved', () => {
    expect(restored.size).toBe(built.size);
    for (const text of corpus) {
      const expected = lunrAnswer(text);
      expectSame(lunrSearch(restored, text), expected, `lunr, restored: ${text}`);
      expectSame(restored.search(text), expected, `fast, restored: ${text}`);
    }
  });

  test('asking twice (cached tokens) answers the same', () => {
    for (const text of corpus.slice(0, 50)) expectSame(built.search(text), lunrAnswer(text), text);
  });

  test('an empty index, and one restored from it, answer nothing', () => {
    const empty = buildSearchIndex([]);
    expect(empty.search('hash mismatch').size).toBe(0);
    expect(loadSearchIndex(JSON.parse(JSON.stringify(empty.toJSON()))).search('hash mismatch').size).toBe(0);
  });
});
