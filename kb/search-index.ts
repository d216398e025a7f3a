import lunr from 'lunr';
import { searchTokens } from './search-tokens';

/**
 * The only module that knows lunr. Documents and questions are tokenized by
 * `searchTokens` and handed to lunr as token arrays. lunr builds the index (and serializes
 * and restores it) and stays the source of truth, but questions are not run through
 * `index.query()`: that builds a TokenSet automaton, sets and MatchData per term only for
 * us to throw them away, and was the server's largest CPU cost. `search` computes the
 * same scores directly from the index's own data (see `FastQuery`). `lunrSearch` keeps
 * lunr's own query, the reference the equivalence test holds the fast path to.
 * User text never reaches lunr's query-string parser, which throws on
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
  /** Entry index → lunr's score, in lunr's order (best first). */
  search(text: string): Map<number, number>;
  /** The lunr index serialized (`lunr.Index#toJSON`), for `loadSearchIndex`. */
  toJSON(): unknown;
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
  return wrap(index, started, docs.length);
}

/** Restores an index serialized by `SearchIndex#toJSON` (lunr's `Index.load`); it answers exactly as the index that was saved. */
export function loadSearchIndex(serialized: unknown): SearchIndex {
  const started = performance.now();
  const index = lunr.Index.load(serialized as object);
  return wrap(index, started);
}

const lunrIndexes = new WeakMap<SearchIndex, lunr.Index>();

/**
 * lunr's own `index.query` for the same question (every token an optional term through the
 * search pipeline): what `search` reproduces. For tests and benchmarks; slow.
 */
export function lunrSearch(searchIndex: SearchIndex, text: string): Map<number, number> {
  const index = lunrIndexes.get(searchIndex);
  if (!index) throw new Error('not an index made by buildSearchIndex or loadSearchIndex');
  return lunrQuery(index, searchTokens(text, MAX_QUERY_TOKENS));
}

function lunrQuery(index: lunr.Index, tokens: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  if (tokens.length === 0) return out;
  const results = index.query((q) => {
    for (const t of tokens) q.term(t, { presence: lunr.Query.presence.OPTIONAL, usePipeline: true });
  });
  for (const r of results) out.set(Number(r.ref), r.score);
  return out;
}

function wrap(index: lunr.Index, started: number, size?: number): SearchIndex {
  const fast = new FastQuery(index as unknown as LunrIndexData);
  const searchIndex: SearchIndex = {
    buildMs: performance.now() - started,
    size: size ?? fast.docCount,
    search(text: string): Map<number, number> {
      const tokens = searchTokens(text, MAX_QUERY_TOKENS);
      if (tokens.length === 0) return new Map();
      return fast.query(tokens) ?? lunrQuery(index, tokens);
    },
    toJSON: () => index.toJSON(),
  };
  lunrIndexes.set(searchIndex, index);
  return searchIndex;
}

/** The parts of a built or loaded `lunr.Index` that @types/lunr does not declare. */
interface LunrIndexData {
  fields: string[];
  /** term → { _index: the term's position in the vector space, field → { docRef → metadata } } */
  invertedIndex: Record<string, Record<string, unknown>>;
  /** `field/docRef` → the field's tf-idf vector: [termIndex, weight, termIndex, weight, …] sorted by termIndex; field boosts are already in the weights. */
  fieldVectors: Record<string, { elements: number[] }>;
  pipeline: { runString(str: string, metadata?: object): string[] };
}

interface Term {
  /** lunr's `_index`: the order of the dot product's terms. */
  readonly termIndex: number;
  /** Dense number for the per-query counts. */
  readonly ordinal: number;
  /** Per field (in `index.fields` order): the documents of the term's posting, in lunr's order (`Object.keys` of the posting). */
  readonly matches: Int32Array[];
  /** Per field: the documents whose field vector holds the term, and the weight there. */
  readonly vectorDocs: Int32Array[];
  readonly vectorWeights: Float64Array[];
}

const EMPTY_DOCS = new Int32Array(0);
const EMPTY_WEIGHTS = new Float64Array(0);
const TOKEN_CACHE_LIMIT = 20_000;

/**
 * lunr 2.3.9's `Index#query` for our query shape — every clause an OPTIONAL term over all
 * fields with boost 1, through the search pipeline, no wildcard, no edit distance —
 * computed from the index's own data, with the same floating-point operations in the same
 * order, so scores are bit-for-bit lunr's and so is the order of the results:
 *
 * - each token goes through `pipeline.runString` (the stemmer); an output term that is not
 *   in the index (or a token the pipeline drops) adds nothing, not even to the query
 *   vector's magnitude;
 * - the query vector is the same for every field: term → how many times it was asked
 *   (`upsert(termIndex, boost 1, a + b)`); its magnitude is the root of the sum of squares;
 * - a (field, document) pair matches when the document is in the term's posting for that
 *   field; its score is `dot(query vector, field vector) / |query vector|` (lunr's
 *   `similarity` divides by the magnitude of the vector it is called on: the query's),
 *   the dot product summed in ascending termIndex order;
 * - a document's score is the sum of its matching fields' scores, added in the order the
 *   pairs were first met (tokens in order, fields in index order, posting order); results
 *   are in that first-met order, then stably sorted by score, highest first.
 *
 * A term with a `*` (a wildcard to lunr) goes to lunr's own query instead.
 */
class FastQuery {
  readonly docCount: number;
  private readonly fieldCount: number;
  private readonly terms = new Map<string, Term>();
  private readonly docKeys: number[] = [];
  private readonly fields: string[];
  private readonly pipeline: LunrIndexData['pipeline'];
  /** token → the index's terms its pipeline output names (undefined: contains a wildcard). */
  private readonly tokenTerms = new Map<string, readonly Term[] | undefined>();
  // Scratch, reused by every query (queries are synchronous and do not nest).
  private readonly counts: Int32Array;
  private readonly pairSeen: Uint8Array;
  private readonly pairOrder: Int32Array;
  private readonly pairDot: Float64Array;
  private readonly docSeen: Uint8Array;
  private readonly docScore: Float64Array;

  constructor(index: LunrIndexData) {
    this.fields = index.fields.slice();
    this.pipeline = index.pipeline;
    const F = this.fields.length;
    this.fieldCount = F;
    const fieldNumber = new Map(this.fields.map((f, i) => [f, i]));
    const docNumber = new Map<string, number>();
    const doc = (ref: string): number => {
      let n = docNumber.get(ref);
      if (n === undefined) {
        n = this.docKeys.length;
        docNumber.set(ref, n);
        this.docKeys.push(Number(ref));
      }
      return n;
    };

    const vectors: { field: number; doc: number; elements: number[] }[] = [];
    for (const [fieldRef, vector] of Object.entries(index.fieldVectors)) {
      const slash = fieldRef.indexOf('/'); // lunr.FieldRef.fromString: the field is before the first "/"
      const field = fieldNumber.get(fieldRef.slice(0, slash));
      if (slash < 0 || field === undefined) continue;
      vectors.push({ field, doc: doc(fieldRef.slice(slash + 1)), elements: vector.elements });
    }

    const byTermIndex = new Map<number, { matches: number[][]; docs: number[][]; weights: number[][] }>();
    const building: [string, number, { matches: number[][]; docs: number[][]; weights: number[][] }][] = [];
    for (const term of Object.keys(index.invertedIndex)) {
      const posting = index.invertedIndex[term] as Record<string, unknown>;
      const termIndex = posting['_index'] as number;
      const parts = { matches: this.fields.map(() => [] as number[]), docs: this.fields.map(() => [] as number[]), weights: this.fields.map(() => [] as number[]) };
      this.fields.forEach((f, i) => {
        const fieldPosting = posting[f] as Record<string, unknown> | undefined;
        if (fieldPosting) for (const ref of Object.keys(fieldPosting)) parts.matches[i]!.push(doc(ref));
      });
      byTermIndex.set(termIndex, parts);
      building.push([term, termIndex, parts]);
    }
    for (const v of vectors) {
      const e = v.elements;
      for (let i = 0; i + 1 < e.length; i += 2) {
        const parts = byTermIndex.get(e[i]!);
        if (!parts) continue; // not a term of the inverted index: no query can name it
        parts.docs[v.field]!.push(v.doc);
        parts.weights[v.field]!.push(e[i + 1]!);
      }
    }
    building.forEach(([term, termIndex, parts], ordinal) => {
      this.terms.set(term, {
        termIndex,
        ordinal,
        matches: parts.matches.map((m) => (m.length > 0 ? Int32Array.from(m) : EMPTY_DOCS)),
        vectorDocs: parts.docs.map((d) => (d.length > 0 ? Int32Array.from(d) : EMPTY_DOCS)),
        vectorWeights: parts.weights.map((w) => (w.length > 0 ? Float64Array.from(w) : EMPTY_WEIGHTS)),
      });
    });

    this.docCount = this.docKeys.length;
    const pairs = F * this.docCount;
    this.counts = new Int32Array(building.length);
    this.pairSeen = new Uint8Array(pairs);
    this.pairOrder = new Int32Array(pairs);
    this.pairDot = new Float64Array(pairs);
    this.docSeen = new Uint8Array(this.docCount);
    this.docScore = new Float64Array(this.docCount);
  }

  /** lunr's scores for these tokens, or undefined when lunr itself must answer (a wildcard). */
  query(tokens: readonly string[]): Map<number, number> | undefined {
    const asked: Term[] = []; // distinct terms, in the order first asked
    const counts = this.counts;
    try {
      for (const token of tokens) {
        const terms = this.resolve(token);
        if (terms === undefined) return undefined;
        for (const t of terms) if ((counts[t.ordinal] = counts[t.ordinal]! + 1) === 1) asked.push(t);
      }
      return this.score(asked);
    } finally {
      for (const t of asked) counts[t.ordinal] = 0;
    }
  }

  private resolve(token: string): readonly Term[] | undefined {
    const cached = this.tokenTerms.get(token);
    if (cached !== undefined || this.tokenTerms.has(token)) return cached;
    const out: Term[] = [];
    let wildcard = false;
    for (const term of this.pipeline.runString(token, { fields: this.fields })) {
      if (term.includes('*')) wildcard = true;
      const t = this.terms.get(term);
      if (t) out.push(t);
    }
    if (this.tokenTerms.size >= TOKEN_CACHE_LIMIT) this.tokenTerms.clear();
    const result = wildcard ? undefined : out;
    this.tokenTerms.set(token, result);
    return result;
  }

  private score(asked: readonly Term[]): Map<number, number> {
    const out = new Map<number, number>();
    if (asked.length === 0) return out;
    const F = this.fieldCount;
    const D = this.docCount;
    const { counts, pairSeen, pairOrder, pairDot, docSeen, docScore } = this;

    // The (field, document) pairs that match, in the order lunr first meets them.
    let pairCount = 0;
    for (const t of asked) {
      for (let f = 0; f < F; f++) {
        const docs = t.matches[f]!;
        for (let i = 0; i < docs.length; i++) {
          const pair = f * D + docs[i]!;
          if (pairSeen[pair] === 0) {
            pairSeen[pair] = 1;
            pairOrder[pairCount++] = pair;
          }
        }
      }
    }

    // Dot products, summed in ascending termIndex as lunr.Vector#dot does, and the magnitude.
    const byIndex = asked.length === 1 ? asked : asked.slice().sort((a, b) => a.termIndex - b.termIndex);
    let sumOfSquares = 0;
    for (const t of byIndex) {
      const c = counts[t.ordinal]!;
      sumOfSquares += c * c;
      for (let f = 0; f < F; f++) {
        const docs = t.vectorDocs[f]!;
        const weights = t.vectorWeights[f]!;
        for (let i = 0; i < docs.length; i++) {
          const pair = f * D + docs[i]!;
          if (pairSeen[pair] !== 0) pairDot[pair] = pairDot[pair]! + c * weights[i]!;
        }
      }
    }
    const magnitude = Math.sqrt(sumOfSquares);

    // Field scores summed per document in first-met order; documents in first-met order.
    const found: number[] = [];
    for (let k = 0; k < pairCount; k++) {
      const pair = pairOrder[k]!;
      const d = pair % D;
      const similarity = pairDot[pair]! / magnitude || 0;
      pairDot[pair] = 0;
      pairSeen[pair] = 0;
      if (docSeen[d] === 0) {
        docSeen[d] = 1;
        docScore[d] = similarity;
        found.push(d);
      } else {
        docScore[d] = docScore[d]! + similarity;
      }
    }
    found.sort((a, b) => docScore[b]! - docScore[a]!); // stable, as lunr's results.sort
    for (const d of found) {
      docSeen[d] = 0;
      out.set(this.docKeys[d]!, docScore[d]!);
    }
    return out;
  }
}
