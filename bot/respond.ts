import type { LoadedEntry, LoadedKb } from '../kb/load-kb';
import { decodeLogBytes } from '../matchers/decode-text';
import { diagnoseText } from '../matchers/diagnose';
import { lookupCodes } from '../matchers/lookup-code';
import { answerFollowUp, followUpProblem } from '../matchers/symptoms/follow-up';
import type { Diagnosis } from '../matchers/types';
import type { AdaptiveCard } from './card-parts';
import { isOutcomeId } from '../capture/records';
import { diagnosisCard } from './cards';
import { codeCard, codeResultCard, entryCard, entryResultCard, helpCard, noticeCard, searchCard, unknownEntryCard, welcomeCard, type CodeResult } from './command-cards';
import { codeLabel } from './code-label';
import type { Command } from './commands';
import type { BotConfig } from './config';
import { clip, inert } from './escape';
import { codeText, diagnosisText, entryText, helpText, searchText } from './text-reply';

/**
 * What the bot and the web page answer, without any SDK: every reply is a card and its
 * plain-text twin. The diagnosis itself is the core's (diagnoseText, lookupCodes,
 * kb.search); this module only applies the input limits and picks the card.
 */
export interface Reply {
  card: AdaptiveCard;
  /** Plain text for channels without cards. */
  text: string;
  /** One line in the bot's words, safe to log. */
  summary: string;
}

/**
 * The diagnosis as the bot and the page return it: the core's, plus what the responder
 * did to the input before the core saw it.
 */
export interface ServedDiagnosis extends Diagnosis {
  /**
   * `true` when the paste was longer than MAX_PASTE_CHARS and only its start was
   * diagnosed (a warning says how much was read); absent when the whole paste was read,
   * so that the shape otherwise stays the command line's `--json` one. Unlike `partial`
   * (the time budget ran out while reading), this is a limit applied before reading.
   */
  cut?: boolean;
}

export interface DiagnosisReply extends Reply {
  diagnosis: ServedDiagnosis;
  /** The outcome id the card's buttons carry, when usage is recorded. */
  outcome?: string;
  /**
   * The text the diagnosis read (a paste after the paste limit, a file after decoding), for a
   * redacting usage recorder. Not enumerable, so that it is never serialized or logged with
   * the reply.
   */
  readonly input: string;
}

export type Limits = Pick<BotConfig, 'maxPasteChars' | 'maxLines' | 'maxLineLength' | 'timeBudgetMs' | 'maxFileBytes'> & Partial<Pick<BotConfig, 'port' | 'webUi' | 'appId'>>;

export class Responder {
  private readonly byId: Map<string, LoadedEntry>;

  constructor(readonly loaded: LoadedKb, readonly limits: Limits) {
    this.byId = new Map(loaded.entries.map((e) => [e.front.id, e]));
  }

  /**
   * Diagnoses pasted text, cutting it to the paste limit first and saying so. `outcome` is
   * the id of the reply's outcome record, carried by its buttons (see capture/).
   */
  diagnose(text: string, fileName: string | null = null, outcome?: string): DiagnosisReply {
    if (text.length <= this.limits.maxPasteChars) return this.run(text, fileName, [], false, outcome);
    return this.run(text.slice(0, this.limits.maxPasteChars), fileName, [
      `Only the first ${this.limits.maxPasteChars.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters were read; paste the part of the log around the failure, or attach the file in a personal chat.`,
    ], true, outcome);
  }

  /**
   * Diagnoses the bytes of an attached file (UTF-8 or UTF-16) whole, or explains why it
   * cannot. The byte cap is applied while downloading (attachments.ts).
   */
  diagnoseFile(bytes: Uint8Array, fileName: string, outcome?: string): DiagnosisReply | Reply {
    const decoded = decodeLogBytes(bytes);
    if (!decoded.ok) return this.notice(`I cannot read ${clip(fileName, 120)}: ${decoded.reason}.`);
    return this.run(decoded.text, fileName, [], false, outcome);
  }

  private run(input: string, fileName: string | null, notes: string[], cut: boolean, outcome: string | undefined): DiagnosisReply {
    const d = diagnoseText(input, this.loaded.kb, {
      fileName,
      maxLines: this.limits.maxLines,
      maxLineLength: this.limits.maxLineLength,
      timeBudgetMs: this.limits.timeBudgetMs,
    });
    const diagnosis: ServedDiagnosis = { ...d, warnings: [...notes, ...d.warnings], ...(cut ? { cut: true } : {}) };
    return diagnosisReply(diagnosis, input, outcome);
  }

  /**
   * The next turn of a family answer, from what its button carried. A state that does not
   * fit this KB (an old card, a hand-made request) gets a notice, never an error.
   */
  followUp(state: unknown): DiagnosisReply | Reply {
    const problem = followUpProblem(this.loaded.kb, state);
    if (problem !== undefined) return this.notice(`I cannot use that answer: ${problem}. Paste the log again for a fresh answer.`);
    const outcome = (state as { outcome?: unknown }).outcome;
    return diagnosisReply(answerFollowUp(this.loaded.kb, state as Parameters<typeof answerFollowUp>[1]), '', isOutcomeId(outcome) ? outcome : undefined);
  }

  command(cmd: Command): Reply {
    switch (cmd.kind) {
      case 'help':
        return { card: helpCard(this.pageUrl()), text: helpText(this.pageUrl()), summary: 'help' };
      case 'code': {
        const decoded = lookupCodes(cmd.arg, this.loaded.kb);
        return { card: codeCard(cmd.arg, decoded), text: codeText(cmd.arg, decoded), summary: `code: ${decoded.map((c) => c.code).join(', ') || 'none found'}` };
      }
      case 'search': {
        const hits = this.search(cmd.arg);
        return { card: searchCard(cmd.arg, hits), text: searchText(cmd.arg, hits), summary: `search: ${hits.length} hit(s)` };
      }
      case 'kb':
        return this.entry(cmd.arg);
    }
  }

  entry(id: string): Reply {
    const e = this.byId.get(id.trim().toLowerCase());
    if (!e) return { card: unknownEntryCard(id), text: `There is no KB entry "${inert(clip(id, 120))}".`, summary: 'kb: unknown id' };
    return { card: entryCard(e), text: entryText(e), summary: `kb: ${e.front.id}` };
  }

  hasEntry(id: string): boolean {
    return this.byId.has(id);
  }

  welcome(): Reply {
    return { card: welcomeCard(), text: helpText(this.pageUrl()), summary: 'welcome' };
  }

  /**
   * The message extension's results for what the user typed in the compose box: the codes
   * it holds, decoded, with the KB's causes for each; otherwise the KB entries its words
   * find; and for an empty query, starting points: the codes that name each symptom family.
   * `skip`/`count` page through them as Teams asks.
   */
  extensionResults(query: string, skip = 0, count = 10): CodeResult[] {
    const q = query.trim();
    const page = <T>(all: readonly T[]): T[] => all.slice(Math.max(0, skip), Math.max(0, skip) + Math.min(Math.max(1, count), 25));
    if (q.length === 0) {
      const starts = [...new Set(this.loaded.kb.symptoms.defs.families.flatMap((f) => f.recognize.codes.slice(0, 1)))];
      return page(starts).flatMap((code) => this.codeResults(`0x${(code >>> 0).toString(16).padStart(8, '0')}`));
    }
    const codes = this.codeResults(q);
    if (codes.length > 0) return page(codes);
    const chat = (id: string): string | null => this.limits.appId
      ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(this.limits.appId)}&message=${encodeURIComponent(`kb ${id}`)}`
      : null;
    return page(this.search(q, 50)).map((e) => ({
      title: e.front.title,
      subtitle: e.front.id,
      card: entryResultCard(e, chat(e.front.id)),
    }));
  }

  /**
   * Each code in the query decoded, with the causes the KB gives for it as a bare code (its
   * symptom family's candidates, or the entries naming it).
   */
  codeResults(query: string): CodeResult[] {
    return lookupCodes(query, this.loaded.kb).slice(0, 5).map((c) => {
      const d = diagnoseText(c.code, this.loaded.kb, { timeBudgetMs: this.limits.timeBudgetMs });
      const causes = d.symptom ? d.symptom.causes.map((x) => ({ id: x.id, title: x.title })) : d.matches.map((m) => ({ id: m.id, title: m.title }));
      const label = codeLabel(c);
      return {
        title: `${c.code} ${label}`.trim(),
        subtitle: causes.length > 0 ? `Likely: ${causes.slice(0, 2).map((x) => x.title).join('; ')}` : (c.message ?? c.facility),
        card: codeResultCard(c, causes, d.symptom?.title ?? null),
      };
    });
  }

  /** The local page's address for the help text, or null when this server serves none. */
  private pageUrl(): string | null {
    if (this.limits.webUi === false) return null;
    return `http://localhost:${this.limits.port && this.limits.port > 0 ? this.limits.port : 3978}/`;
  }

  notice(message: string): Reply {
    return { card: noticeCard(message), text: inert(message), summary: 'notice' };
  }

  private search(query: string, max = 5): LoadedEntry[] {
    const scores = this.loaded.kb.search(query);
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, max)
      .map(([i]) => this.loaded.entries[i])
      .filter((e): e is LoadedEntry => e !== undefined);
  }
}

/**
 * A diagnosis as a reply. The plain-text twin is made only when something reads it (a
 * channel without cards): Teams and the page never do.
 */
function diagnosisReply(diagnosis: ServedDiagnosis, input: string, outcome?: string): DiagnosisReply {
  const { card, summary } = diagnosisCard(diagnosis, undefined, outcome);
  let text: string | undefined;
  const reply = {
    card,
    summary,
    diagnosis,
    ...(outcome !== undefined ? { outcome } : {}),
    get text(): string {
      text ??= diagnosisText(diagnosis);
      return text;
    },
  };
  return Object.defineProperty(reply, 'input', { value: input, enumerable: false }) as DiagnosisReply;
}
