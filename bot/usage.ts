import type { UsageRecorder } from '../capture/recorder';
import { outcomeOf } from '../capture/outcome';
import type { Channel } from '../capture/records';
import type { ServerMetrics } from './metrics';
import type { DiagnosisReply, Reply } from './respond';

/**
 * What the doors (Teams, the page) tell about their use, in one place: the outcome record
 * (capture/), the Prometheus counters (metrics.ts). Both are optional, so a door calls the
 * same three methods whatever the operator turned on. Nothing here can fail a reply.
 */
export class Usage {
  constructor(private readonly recorder: UsageRecorder | undefined, private readonly metrics: ServerMetrics | undefined) {}

  /** An outcome id for the next reply's buttons, or undefined when nothing is recorded. */
  newId(): string | undefined {
    return this.recorder && this.recorder.mode !== 'off' ? this.recorder.newId() : undefined;
  }

  /** A diagnosis went out. Its input text is read only by a redacting recorder. */
  diagnosed(channel: Channel, reply: Reply | DiagnosisReply, startedMs: number): void {
    if (!('diagnosis' in reply)) return;
    const ms = performance.now() - startedMs;
    this.metrics?.diagnosis(channel, outcomeOf(reply.diagnosis), ms / 1000);
    if (reply.outcome === undefined || !this.recorder) return;
    try {
      this.recorder.diagnosed({ id: reply.outcome, channel, diagnosis: reply.diagnosis, latencyMs: ms, cut: reply.diagnosis.cut === true, text: reply.input });
    } catch {
      // Recording is best effort; the recorder logs its own failures.
    }
  }

  feedback(channel: Channel, data: { outcome?: unknown; id?: unknown; verdict: 'helpful' | 'not-helpful' | 'followup'; family?: unknown }): void {
    if (!this.recorder || typeof data.outcome !== 'string') return;
    try {
      this.recorder.feedback({
        id: data.outcome,
        channel,
        verdict: data.verdict,
        entry: typeof data.id === 'string' ? data.id : null,
        ...(typeof data.family === 'string' ? { family: data.family } : {}),
      });
    } catch {
      // As above.
    }
  }

  rateLimited(door: 'teams' | 'page'): void {
    this.metrics?.rateLimited(door);
  }
}
