import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outcome } from '../capture/records';

/**
 * `GET /metrics` in the Prometheus text format, with prom-client (the client library the
 * Prometheus project lists for Node.js): requests by route and status, diagnoses by channel
 * and outcome, diagnosis latency, rate-limited requests, and the capture queue's drops. Each
 * server has its own registry, so that tests and the benchmark can start several in one
 * process. Labels are bounded sets (route patterns, status codes, outcomes): nothing of a
 * request's content becomes a label.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly diagnoses: Counter<'channel' | 'outcome'>;
  private readonly latency: Histogram<'channel'>;
  private readonly limited: Counter<'door'>;

  constructor(captureStats: () => { queued: number; written: number; dropped: number; failures: number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'supportkb_' });
    this.requests = new Counter({ name: 'supportkb_http_requests_total', help: 'HTTP requests by route pattern, method and status code.', labelNames: ['route', 'method', 'status'], registers });
    this.diagnoses = new Counter({ name: 'supportkb_diagnoses_total', help: 'Diagnoses answered, by channel and outcome (high, medium, low, symptom, none).', labelNames: ['channel', 'outcome'], registers });
    this.latency = new Histogram({
      name: 'supportkb_diagnosis_seconds',
      help: 'Time to diagnose a paste or a file, from text to card, by channel.',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.limited = new Counter({ name: 'supportkb_rate_limited_total', help: 'Requests refused by the per-minute rate limit, by door (teams, page).', labelNames: ['door'], registers });
    const capture = (name: string, help: string, pick: (s: ReturnType<typeof captureStats>) => number): void => {
      new Gauge({ name, help, registers, collect() { this.set(pick(captureStats())); } });
    };
    capture('supportkb_capture_queued', 'Capture records waiting to be written.', (s) => s.queued);
    capture('supportkb_capture_written_total', 'Capture records written to the store since start.', (s) => s.written);
    capture('supportkb_capture_dropped_total', 'Capture records dropped because the store was down or slow (the replies went out).', (s) => s.dropped);
    capture('supportkb_capture_failures_total', 'Failed writes to the capture store since start.', (s) => s.failures);
  }

  request(route: string, method: string, status: number): void {
    this.requests.inc({ route, method, status: String(status) });
  }

  diagnosis(channel: string, outcome: Outcome, seconds: number): void {
    this.diagnoses.inc({ channel, outcome });
    this.latency.observe({ channel }, seconds);
  }

  rateLimited(door: 'teams' | 'page'): void {
    this.limited.inc({ door });
  }

  async text(): Promise<{ type: string; body: string }> {
    return { type: this.registry.contentType, body: await this.registry.metrics() };
  }
}
