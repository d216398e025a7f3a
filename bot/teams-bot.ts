import { createHash } from 'node:crypto';
import { CardFactory, TeamsActivityHandler, TurnContext, type Activity, type MessagingExtensionQuery, type MessagingExtensionResponse, type Mention } from 'botbuilder';
import type { Logger } from 'pino';
import { downloadFile, fileAttachments, formatBytes, MAX_FILES_PER_MESSAGE, type FileRef } from './attachments';
import type { SubmitData } from './card-parts';
import { parseCommand } from './commands';
import type { BotConfig } from './config';
import { clip } from './escape';
import { decodeEntities, htmlToText, lineCount } from './html-to-text';
import { RateLimiter } from './rate-limit';
import type { DiagnosisReply, Reply, Responder } from './respond';
import { Usage } from './usage';

/**
 * The conversation: one of the few files that know the Bot Framework SDK. It turns an
 * incoming activity into text or files, asks the Responder for the reply and sends it as
 * a card (or as plain text where the channel renders no cards). It logs what happened,
 * never what was pasted, unless the LOG_PASTED_TEXT debug option is on.
 */
const CARD_CHANNELS = new Set(['msteams', 'emulator', 'webchat', 'directline', 'directlinespeech', 'test']);

export interface BotDeps {
  responder: Responder;
  config: BotConfig;
  logger: Logger;
  limiter?: RateLimiter;
  /** Outcome records and metrics; none when omitted. */
  usage?: Usage;
}

export class DiagnosisBot extends TeamsActivityHandler {
  private readonly limiter: RateLimiter;
  private readonly usage: Usage;

  constructor(private readonly deps: BotDeps) {
    super();
    this.limiter = deps.limiter ?? new RateLimiter(deps.config.rateLimitPerMinute);
    this.usage = deps.usage ?? new Usage(undefined, undefined);
    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const me = ctx.activity.recipient?.id;
      // Greet once, when the bot itself is added (installed in a chat or team); not each
      // time a person joins a team.
      if ((ctx.activity.membersAdded ?? []).some((m) => m.id === me)) {
        await this.send(ctx, this.deps.responder.welcome());
        this.deps.logger.info({ event: 'installed', channel: ctx.activity.channelId, conversationType: ctx.activity.conversation?.conversationType }, 'welcome sent');
      }
      await next();
    });
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const started = performance.now();
    const log = this.deps.logger.child({ channel: a.channelId, conversation: hashId(a.conversation?.id ?? ''), conversationType: a.conversation?.conversationType });
    const decision = this.limiter.check(a.conversation?.id ?? 'unknown');
    if (!decision.allowed) {
      log.warn({ event: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds, notify: decision.notify }, 'message over the rate limit');
      this.usage.rateLimited('teams');
      if (decision.notify) {
        await this.send(ctx, this.deps.responder.notice(`This conversation sent more than ${this.deps.config.rateLimitPerMinute} messages in a minute, so I am pausing. Try again in ${decision.retryAfterSeconds} seconds.`));
      }
      return;
    }
    if (isSubmitData(a.value)) {
      await this.handleSubmit(ctx, a.value, log);
      return;
    }
    const text = messageText(a, this.deps.config.maxPasteChars);
    const { files, refused } = fileAttachments(a.attachments);
    for (const r of refused) await this.send(ctx, this.deps.responder.notice(r));
    for (const f of files.slice(0, MAX_FILES_PER_MESSAGE)) await this.handleFile(ctx, f, log);
    if (files.length > MAX_FILES_PER_MESSAGE) {
      await this.send(ctx, this.deps.responder.notice(`I read the first ${MAX_FILES_PER_MESSAGE} files only; send the others in another message.`));
    }
    if (text.trim().length === 0) {
      if (files.length === 0 && refused.length === 0) await this.send(ctx, this.deps.responder.command({ kind: 'help' }));
      return;
    }
    const command = parseCommand(text);
    if (command) {
      const reply = this.deps.responder.command(command);
      await this.send(ctx, reply);
      log.info({ event: 'command', command: command.kind, result: reply.summary, ms: elapsed(started) }, 'command answered');
      return;
    }
    if (this.deps.config.logPastedText) log.debug({ pastedText: text }, 'pasted text (LOG_PASTED_TEXT is on)');
    const reply = this.deps.responder.diagnose(text, null, this.usage.newId());
    await this.send(ctx, reply);
    this.usage.diagnosed('teams', reply, started);
    log.info({ event: 'diagnosis', source: 'paste', ...diagnosisFacts(reply), chars: text.length, ms: elapsed(started) }, 'paste diagnosed');
  }

  private async handleFile(ctx: TurnContext, file: FileRef, log: Logger): Promise<void> {
    const started = performance.now();
    const { config, responder } = this.deps;
    const download = await downloadFile(file, { maxBytes: config.maxFileBytes, timeoutMs: config.downloadTimeoutMs, allowHttp: config.appId === '' });
    if (!download.ok) {
      log.info({ event: 'file-refused', reason: download.reason }, 'attached file not read');
      await this.send(ctx, responder.notice(`I did not read ${clip(file.name, 120)}: ${download.reason}.`));
      return;
    }
    if (config.logPastedText) log.debug({ fileName: file.name, fileText: Buffer.from(download.bytes).toString('utf8') }, 'attached file (LOG_PASTED_TEXT is on)');
    const reply = responder.diagnoseFile(download.bytes, file.name, this.usage.newId());
    await this.send(ctx, reply);
    this.usage.diagnosed('teams', reply, started);
    log.info({ event: 'diagnosis', source: 'file', bytes: download.bytes.byteLength, size: formatBytes(download.bytes.byteLength), ...diagnosisFacts(reply), ms: elapsed(started) }, 'file diagnosed');
  }

  private async handleSubmit(ctx: TurnContext, data: SubmitData, log: Logger): Promise<void> {
    const { responder } = this.deps;
    if (data.action === 'followup') {
      const reply = responder.followUp(data);
      await this.send(ctx, reply);
      this.usage.feedback('teams', { outcome: data.outcome, verdict: 'followup', family: data.family });
      log.info({ event: 'follow-up', family: data.family, answers: Object.keys(data.answers).length, ...diagnosisFacts(reply) }, 'follow-up answered');
      return;
    }
    if (!responder.hasEntry(data.id)) {
      log.info({ event: 'stale-button' }, 'button for an entry that does not exist');
      await this.send(ctx, responder.notice('That button belongs to an entry this version of the KB no longer has. Paste the log again for a fresh answer.'));
      return;
    }
    if (data.action === 'kb') {
      await this.send(ctx, responder.entry(data.id));
      log.info({ event: 'command', command: 'kb-button', entry: data.id }, 'entry shown');
      return;
    }
    log.info({ event: 'feedback', entry: data.id, verdict: data.verdict }, 'feedback recorded');
    this.usage.feedback('teams', data);
    await this.send(ctx, responder.notice(data.verdict === 'helpful'
      ? `Thanks, recorded: the answer ${data.id} helped.`
      : `Thanks, recorded: the answer ${data.id} did not help. Paste more of the log (the lines before the failure, or the distribution point's IIS log), or type search with a few words of the error.`));
  }

  /**
   * The "Error code" message extension (manifest `composeExtensions`, command `lookupCode`):
   * while a user types a code in the compose box, each code found is offered as a result
   * whose card (the decoded code and the KB's likely causes) goes into the conversation.
   */
  protected override async handleTeamsMessagingExtensionQuery(ctx: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const log = this.deps.logger.child({ channel: ctx.activity.channelId, conversation: hashId(ctx.activity.conversation?.id ?? '') });
    const decision = this.limiter.check(ctx.activity.conversation?.id ?? 'unknown');
    if (!decision.allowed) {
      this.usage.rateLimited('teams');
      return { composeExtension: { type: 'message', text: `Too many lookups in a minute; try again in ${decision.retryAfterSeconds} seconds.` } };
    }
    const param = (query.parameters ?? []).find((p) => p.name === 'code' || p.name === 'query') ?? query.parameters?.[0];
    // Teams sends initialRun as parameter "initialRun" with value true: that is an empty query.
    const raw = param && param.name !== 'initialRun' ? param.value : '';
    const value = typeof raw === 'string' ? raw.slice(0, 200).trim() : '';
    const skip = clampInt(query.queryOptions?.skip, 0, 1000, 0);
    const count = clampInt(query.queryOptions?.count, 1, 25, 10);
    const results = this.deps.responder.extensionResults(value, skip, count);
    log.info({ event: 'extension-query', empty: value.length === 0, results: results.length, skip }, 'message extension query answered');
    if (results.length === 0) {
      return { composeExtension: { type: 'message', text: skip > 0 ? 'No more results.' : 'Nothing found. Type an error code (0x80190194, 80072ee2, -2146889721) or a few words of the error (hash mismatch).' } };
    }
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: results.map((r) => ({ ...CardFactory.adaptiveCard(r.card), preview: CardFactory.thumbnailCard(r.title, r.subtitle) })),
      },
    };
  }

  /** Sends a reply as a card, or as plain text on channels without cards. */
  private async send(ctx: TurnContext, reply: Reply | DiagnosisReply): Promise<void> {
    if (CARD_CHANNELS.has(ctx.activity.channelId)) {
      await ctx.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(reply.card)], summary: reply.summary });
    } else {
      await ctx.sendActivity({ type: 'message', text: reply.text, textFormat: 'plain' });
    }
  }
}

/**
 * The text of a message with the bot's @mention removed. Teams may send the message itself
 * as HTML (`textFormat: "xml"`): then it is turned back into lines with entities decoded.
 * When Teams also sent a `text/html` attachment and that keeps more line breaks, the lines
 * are taken from the attachment.
 */
export function messageText(a: Partial<Activity>, maxChars: number): string {
  let plain = typeof a.text === 'string' ? a.text : '';
  const mentions = (a.entities ?? []).filter((e): e is Mention & { type: string } => e.type === 'mention') as Mention[];
  const mine = mentions.filter((m) => m.mentioned?.id !== undefined && m.mentioned.id === a.recipient?.id);
  if (plain && mine.length > 0) plain = TurnContext.removeRecipientMention(a) ?? plain;
  const names = [a.recipient?.name ?? '', ...mine.map((m) => (m.text ?? '').replace(/<\/?at[^>]*>/gi, ''))];
  const kind = textKind(plain, a.textFormat);
  // The HTML is cut before conversion so that hostile markup cannot cost more than a paste.
  if (kind === 'html') plain = htmlToText(plain.slice(0, maxChars * 4), { dropMentions: names });
  else if (kind === 'entities') plain = decodeEntities(plain);
  const html = (a.attachments ?? []).find((x) => x.contentType === 'text/html' && typeof x.content === 'string');
  if (!html) return plain;
  const fromHtml = htmlToText((html.content as string).slice(0, maxChars * 4), { dropMentions: names });
  return fromHtml.trim().length > 0 && lineCount(fromHtml) > lineCount(plain) ? fromHtml : plain;
}

// Tags that only HTML uses, written the way Teams writes them (lower case). Logs pasted as
// plain text carry `<![LOG[`, `<time=...>`, `<DP_Server>` or XML such as `<Content ...>`,
// none of which match.
const HTML_TAG = /<(?:br|hr)\s*\/?>|<(?:p|div|pre|code|span|li|ul|ol|table|tr|td|th|h[1-6]|blockquote|strong|em|codeblock)(?:\s[^<>]*)?>|<\/(?:p|div|pre|code|span|li|ul|ol|table|tr|td|th|h[1-6]|blockquote|strong|em|codeblock)>/;
// A `<` that opens something other than a mention: raw text, not markup Teams escaped.
const RAW_ANGLE = /<(?!\/?at[\s>])[A-Za-z!]/;

/**
 * How to read a message's text: as HTML, as plain text with HTML entities only, or as it is.
 * `textFormat: "xml"` decides first (unless the text holds raw `<` that is not markup);
 * otherwise only unmistakable HTML tags make it HTML, so that a pasted CMTrace line or
 * XML stays untouched.
 */
export function textKind(text: string, textFormat: string | undefined): 'html' | 'entities' | 'plain' {
  const hasTags = HTML_TAG.test(text);
  if (textFormat === 'xml') {
    if (hasTags) return 'html';
    if (RAW_ANGLE.test(text)) return 'plain';
    // No block markup: decoding the entities keeps whatever line breaks the text has.
    return /<\/?at[\s>]/.test(text) ? 'html' : 'entities';
  }
  if (hasTags && !text.includes('<![LOG[')) return 'html';
  if (textFormat !== 'plain' && !text.includes('<') && /&(?:lt|gt);/i.test(text)) return 'entities';
  return 'plain';
}

function isSubmitData(v: unknown): v is SubmitData {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  // A follow-up's contents are checked against the KB by the responder, which explains what is wrong.
  if (o['action'] === 'followup') return true;
  if (typeof o['id'] !== 'string') return false;
  if (o['action'] === 'kb') return true;
  return o['action'] === 'feedback' && (o['verdict'] === 'helpful' || o['verdict'] === 'not-helpful');
}

/** What the log may say about a diagnosis: ids and counts, no text from the paste. */
function diagnosisFacts(reply: Reply | DiagnosisReply): Record<string, unknown> {
  if (!('diagnosis' in reply)) return { result: reply.summary };
  const d = reply.diagnosis;
  return {
    lines: d.lines,
    format: d.format,
    top: d.matches[0]?.id ?? null,
    symptom: d.symptom?.id ?? null,
    offTopic: d.offTopic,
    confidence: d.matches[0]?.confidence ?? null,
    matches: d.matches.length,
    codes: d.codes.map((c) => c.code),
    partial: d.partial,
    warnings: d.warnings.length,
  };
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
