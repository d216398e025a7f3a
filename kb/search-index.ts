import lunr from 'lunr';
import { searchTokens } from './search-tokens';

/**
 * The only module that knows lunr. Documents and questions are tokenized by
 * `searchTokens` and handed to lunr as token arrays, and questions are built with
 * `index.query()`: user text never reaches lunr's query-string parser, which throws on
 * `error: 0x80190194`, Windows paths and a lone `-`.
 */
export interface SearchDocument {
  ref: number;
  title: string;
  /** The Symptoms section, the tags and how engineers ask about it (the entry's `questions:`): one field, as lunr's cost grows with the number of fields. */
  symptoms: string;
  codes: string;
  body: string;
}

export interface SearchIndex {
  search(text: string): Map<number, number>;
  readonly buildMs: number;
  readonly size: number;
}

const MAX_QUERY_TOKENS = 300;

export function buildSearchIndex(docs: readonly SearchDocument[]): SearchIndex {
  const started = performance.now();
  const index = lunr(function () {
    this.ref('ref');
    this.field('title', { boost: 4 });
    this.field('symptoms', { boost: 2 });
    this.field('codes', { boost: 4 });
    this.field('body');
    this.metadataWhitelist = [];
    for (const d of docs) {
      // Arrays bypass lunr's tokenizer; each element is one token.
      this.add({
        ref: String(d.ref),
        title: searchTokens(d.title),
        symptoms: searchTokens(d.symptoms),
        codes: searchTokens(d.codes),
        body: searchTokens(d.body),
      });
    }
  });
  const buildMs = performance.now() - started;
  return {
    buildMs,
    size: docs.length,
    search(text: string): Map<number, number> {
      const tokens = searchTokens(text, MAX_QUERY_TOKENS);
      const out = new Map<number, number>();
      if (tokens.length === 0) return out;
      const results = index.query((q) => {
        for (const t of tokens) q.term(t, { presence: lunr.Query.presence.OPTIONAL, usePipeline: true });
      });
      for (const r of results) out.set(Number(r.ref), r.score);
      return out;
    },
  };
}
