import type { Confidence } from '../types';

/**
 * Signatures as KB authors write them in front-matter, after schema validation.
 * See docs/kb-format.md for the meaning of each key.
 */
export type CodeValue = number | string;

export type ConditionDef =
  | { code: CodeValue | CodeValue[] }
  | { http: { status: number; substatus?: number } }
  | { extension: string[] | { denied_by_default?: boolean; in?: string[] } }
  | { path: { segment?: string | string[]; hidden_by_default?: boolean; contains?: string | string[] } }
  | { event: { source?: string; id?: number } }
  | { text: string | string[] }
  | { regex: string };

export interface SignatureDef {
  name: string;
  confidence?: Confidence;
  scope?: 'paste' | 'line';
  log?: string[];
  severity?: 'error' | 'warning';
  all?: ConditionDef[];
  any?: ConditionDef[];
  not?: ConditionDef[];
}

/** What request filtering refuses on a stock IIS 7+ server (from `kb/iis/request-filtering.yaml`). */
export interface IisDefaults {
  deniedExtensions: ReadonlySet<string>;
  hiddenSegments: ReadonlySet<string>;
}

/** Failure codes so common that they say nothing about a cause on their own. */
export const COMMON_CODES: ReadonlySet<number> = new Set([
  0x80004005, // E_FAIL
  0x8000ffff, // E_UNEXPECTED
  0x80070057, // E_INVALIDARG
  0x80004001, // E_NOTIMPL
]);
