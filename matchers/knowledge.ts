import type { CodeTable } from './codes/code-table';
import type { MatcherSet } from './signatures/scan';
import type { CompiledSymptoms } from './symptoms/observe';
import type { MatchLink } from './types';

/** What the diagnosis needs to know of one KB entry: its answer, with placeholders. */
export interface EntryAnswer {
  id: string;
  title: string;
  cause: string;
  resolution: string[];
  links: MatchLink[];
}

/**
 * Everything the pure core needs, built once by `kb/` at start. Full-text search is passed
 * in as a function so that the core does not depend on the index library.
 */
export interface KnowledgeBase {
  entries: readonly EntryAnswer[];
  matchers: MatcherSet;
  codes: CodeTable;
  /** Symptom families, situations and the domain vocabulary. */
  symptoms: CompiledSymptoms;
  /** Relevance of entries to free text, entry index → score (any scale, higher is better). */
  search(text: string): ReadonlyMap<number, number>;
}
