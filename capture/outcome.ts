import type { Diagnosis } from '../matchers/types';
import type { Channel, Outcome, OutcomeRecord } from './records';

/**
 * An outcome record from a diagnosis: what the bot answered and the structural facts the
 * paste showed, never its text. Pure, so the same record comes out of the server, the tests
 * and the review's generator.
 */
export function outcomeOf(d: Pick<Diagnosis, 'matches' | 'symptom'>): Outcome {
  const top = d.matches[0];
  if (top && (top.confidence === 'high' || top.confidence === 'medium')) return top.confidence;
  if (d.symptom) return 'symptom';
  if (top) return 'low';
  return 'none';
}

export interface OutcomeInput {
  id: string;
  at: Date;
  channel: Channel;
  diagnosis: Diagnosis;
  latencyMs: number;
  /** The paste was cut to the paste limit before diagnosis. */
  cut: boolean;
  kbHash?: string;
}

export function outcomeRecord(input: OutcomeInput): OutcomeRecord {
  const d = input.diagnosis;
  return {
    type: 'outcome',
    id: input.id,
    at: input.at.toISOString(),
    channel: input.channel,
    outcome: outcomeOf(d),
    entries: d.matches.slice(0, 5).map((m) => m.id),
    family: d.symptom?.id ?? null,
    codes: unique(d.codes.map((c) => c.code)),
    statuses: unique(d.facts.http),
    extensions: unique(d.facts.files.map(extensionOf).filter((e): e is string => e !== undefined)),
    hiddenSegments: unique(d.matches.map((m) => m.values['segment']).filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= 40)),
    formats: unique([d.format, ...d.facts.logs.map((l) => l.toLowerCase())]),
    lines: d.lines,
    latencyMs: Math.round(input.latencyMs * 10) / 10,
    partial: d.partial,
    cut: input.cut,
    ...(input.kbHash ? { kbHash: input.kbHash } : {}),
    prose: d.format === 'text',
  };
}

/** `.mdb` from `product.mdb`; nothing for names without an extension or with an odd one. */
function extensionOf(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= 0 || dot === file.length - 1) return undefined;
  const ext = file.slice(dot).toLowerCase();
  return /^\.[a-z0-9_-]{1,12}$/.test(ext) ? ext : undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].slice(0, 20);
}
