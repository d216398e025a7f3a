import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the Bot Framework channel in end-to-end tests: records the replies the bot
 * posts to `POST /v3/conversations/{id}/activities/{replyToId}` and serves files for the
 * attachment tests from `GET /files/{name}`. Listens on loopback only.
 */
export interface CapturedReply {
  conversationId: string;
  replyToId: string;
  activity: Record<string, unknown>;
}

export interface CaptureServer {
  url: string;
  replies: CapturedReply[];
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const replies: CapturedReply[] = [];
  const files = new Map<string, Buffer>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && reply) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        replies.push({
          conversationId: decodeURIComponent(reply[1] as string),
          replyToId: decodeURIComponent(reply[2] as string),
          activity: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${++n}` }));
      });
      return;
    }
    const file = /^\/files\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && file) {
      const body = files.get(decodeURIComponent(file[1] as string));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    replies,
    files,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
