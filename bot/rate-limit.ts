/**
 * Per-conversation rate limit: at most `perMinute` messages in any 60-second window. The
 * first refused message in a window gets a reply saying when to try again; later ones are
 * dropped silently, so a flood does not turn into a flood of replies. Memory is bounded:
 * the least recently seen conversations are forgotten past `maxKeys`.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; notify: boolean };

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly seen = new Map<string, { times: number[]; notified: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
    private readonly maxKeys = 10_000,
  ) {}

  check(key: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true };
    const t = this.now();
    const entry = this.seen.get(key) ?? { times: [], notified: false };
    this.seen.delete(key);
    this.seen.set(key, entry);
    while (entry.times.length > 0 && (entry.times[0] as number) <= t - WINDOW_MS) entry.times.shift();
    if (entry.times.length < this.perMinute) {
      entry.times.push(t);
      entry.notified = false;
      this.evict();
      return { allowed: true };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((entry.times[0] as number) + WINDOW_MS - t) / 1000));
    const notify = !entry.notified;
    entry.notified = true;
    return { allowed: false, retryAfterSeconds, notify };
  }

  private evict(): void {
    while (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
  }
}
