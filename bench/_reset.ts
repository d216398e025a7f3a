import { runMixedLoad } from './load-mix';
import { startServerProcess } from './server-process';
const server = await startServerProcess({ RATE_LIMIT_PER_MINUTE: '0', MAX_BODY_BYTES: String(1024 * 1024), LOG_LEVEL: 'warn' });
const r = await runMixedLoad({ url: server.url, durationMs: 65_000, connections: 50, entryId: 'dp-http-403-forbidden', maxBodyBytes: 1024 * 1024, slowByteIntervalMs: Number(process.argv[2] ?? 200) });
console.log(r.violations, r.slowClient, r.staleSocketRetries);
console.log(server.output().slice(0, 30).join('\n'));
await server.stop();
