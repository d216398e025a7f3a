/**
 * The shapes that flow through the pipeline:
 * text → LogRecord → RecordFacts → signature hits → Diagnosis.
 * Every stage only reads the shapes of the stages before it.
 */

export type Severity = 'info' | 'warning' | 'error';

/** How a record was recognised; `text` is the fallback for anything else. */
export type LogFormat =
  | 'cmtrace'
  | 'cmtrace-clipboard'
  | 'iis'
  | 'bitsadmin'
  | 'eventlog'
  | 'text';

/** One log entry: a CMTrace record (possibly several lines), an IIS line, a bitsadmin job, an event, or a plain line. */
export interface LogRecord {
  /** 1-based number of the first line of the record in the pasted text. */
  line: number;
  /** 1-based number of the last line (equal to `line` for one-line records). */
  endLine: number;
  /** The message, on one line (multi-line messages joined with a space). */
  text: string;
  format: LogFormat;
  /** The log the record comes from when it can be told: `CAS`, `SMSTS`, `IIS`, … */
  log?: string;
  component?: string;
  severity?: Severity;
  /** Named fields of structured formats (IIS W3C fields, bitsadmin keys, event-log keys). */
  fields?: Readonly<Record<string, string>>;
}

export interface CodeFact {
  /** The HRESULT as an unsigned 32-bit number. */
  value: number;
  /** The spelling found in the text, for evidence. */
  spelling: string;
}

export interface HttpFact {
  status: number;
  substatus?: number;
}

export interface PathFact {
  /** The URL or path as written (trimmed of surrounding punctuation). */
  value: string;
  kind: 'url' | 'path';
  /** The last segment. */
  file: string;
  /** Lower-case extension with its dot (`.config`), or undefined when the file has none. */
  extension?: string;
  /** Every segment of the path, folders and file, decoded where percent-encoded. */
  segments: string[];
}

export interface EventFact {
  source?: string;
  id?: number;
}

/** Facts extracted from one record. */
export interface RecordFacts {
  codes: CodeFact[];
  http: HttpFact[];
  paths: PathFact[];
  events: EventFact[];
  packages: string[];
}

export type Confidence = 'high' | 'medium' | 'low';

export interface Evidence {
  line: number;
  text: string;
  signature: string;
}

/** Decoded error code in the command line's JSON shape. */
export interface DecodedCode {
  code: string;
  decimal: number;
  name: string | null;
  message: string | null;
  facility: string;
  notes: string[];
  /** Other names the same value has in other components' headers. */
  aliases?: string[];
  /** Where the name came from. */
  source?: string;
}

export interface MatchLink {
  title: string;
  url: string;
}

export interface Match {
  id: string;
  title: string;
  confidence: Confidence;
  score: number;
  cause: string;
  resolution: string[];
  links: MatchLink[];
  evidence: Evidence[];
  /** Values extracted by the signature that matched (`extension`, `file`, …). */
  values: Record<string, string>;
  /**
   * `signature` when a signature matched; `code` when the entry looks for an error code of
   * the paste but its other evidence is missing (an alternative); `search` when only
   * full-text relevance found it.
   */
  basis: 'signature' | 'search' | 'code' | 'family';
}

/** One candidate cause of a symptom family, as the answer lists it. */
export interface SymptomCause {
  /** The KB entry id. */
  id: string;
  title: string;
  /** The one observation that confirms or rules out this cause. */
  confirm: string;
}

/** The symptom family a paste shows, with its candidate causes most likely first for this paste. */
export interface SymptomAnswer {
  id: string;
  title: string;
  summary: string;
  causes: SymptomCause[];
  /** What to paste next, most useful first. */
  collect: string[];
  /** Yes/no questions whose answers would best narrow the causes (empty when a cause is proven). */
  questions: { situation: string; ask: string }[];
  /** Situations the paste established: true holds, false does not. */
  known: Record<string, boolean>;
  /** Answers to follow-up questions so far, situation id → yes (true) / no (false). */
  answers: Record<string, boolean>;
  /** Causes ruled out by what is known (entry ids). */
  ruledOut: string[];
  /**
   * What named the symptom: `evidence`, the paste's own lines, codes or phrases; `likeness`,
   * only the entries the words of a question read like (no line of it names the symptom).
   */
  namedFrom: 'evidence' | 'likeness';
}

/** Facts seen in the whole paste, for replies that found nothing. */
export interface FactSummary {
  http: string[];
  files: string[];
  events: string[];
  packages: string[];
  logs: string[];
}

export interface Diagnosis {
  file: string | null;
  format: string;
  lines: number;
  matches: Match[];
  codes: DecodedCode[];
  facts: FactSummary;
  /** Things the reader should know about the input itself: cut lines, time budget, binary data. */
  warnings: string[];
  /** True when the time budget ran out before the whole input was read. */
  partial: boolean;
  /** The symptom family the paste shows, or null when it shows none. */
  symptom: SymptomAnswer | null;
  /** True when the text has nothing of ConfigMgr content, IIS or BITS in it: no KB entry is offered. */
  offTopic: boolean;
  /**
   * When the text is off-topic because it names another product or stack (kb/domain.yaml's
   * `foreign` list): the first such marker, as the text spells it ("LANDESK", "msiexec"), so
   * the reply can say whose text it reads as. Absent otherwise.
   */
  otherProduct?: string;
}
