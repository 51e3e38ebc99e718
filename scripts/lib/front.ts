import { lookup } from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small round-robin front for several API instances: the portal and the API at one address. A
 * request goes to the next instance; one that refuses the connection is skipped for a second and the
 * request goes to the next (nothing reached it, so nothing happened twice). An instance that dies
 * while it holds a request answers 502: the client retries with its Idempotency-Key, which the API
 * replays or runs once. An upstream named by host name (e.g. `api:3000` in docker compose) stands for
 * every address the name resolves to.
 */
export interface Front {
  url: string;
  port: number;
  /** requests each upstream answered, by host:port */
  served: Map<string, number>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const SKIP_MS = 1000;
/** larger than the largest request the API accepts (a report upload) */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Upstream {
  host: string;
  port: number;
}

function parseUpstream(spec: string): Upstream {
  const url = new URL(spec.includes('://') ? spec : `http://${spec}`);
  return { host: url.hostname, port: Number(url.port || 80) };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startFront(options: {
  upstreams: string[];
  port: number;
  host?: string;
  onLine?: (line: string) => void;
}): Promise<Front> {
  const configured = options.upstreams.map(parseUpstream);
  const skipUntil = new Map<string, number>();
  const served = new Map<string, number>();
  let next = 0;

  /** every address behind the configured upstreams, resolved afresh (containers come and go) */
  const targets = async (): Promise<Upstream[]> => {
    const all = await Promise.all(
      configured.map(async (u) => {
        const addresses = await lookup(u.host, { all: true, family: 4 }).catch(() => []);
        return addresses.map((a) => ({ host: a.address, port: u.port }));
      }),
    );
    return all.flat();
  };

  const forward = (
    req: http.IncomingMessage,
    body: Buffer,
    target: Upstream,
  ): Promise<http.IncomingMessage | 'refused'> =>
    new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      }
      const client = req.socket.remoteAddress ?? '';
      const forwardedFor = req.headers['x-forwarded-for'];
      headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
      headers['x-forwarded-proto'] ??= 'http';
      headers['x-forwarded-host'] ??= req.headers.host ?? '';
      headers['content-length'] = String(body.length);
      const upstream = http.request(
        { host: target.host, port: target.port, method: req.method, path: req.url, headers },
        resolve,
      );
      upstream.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
      );
      upstream.end(body);
    });

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (body === null) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request too large\n');
        return;
      }
      const all = await targets();
      for (let tried = 0; tried < all.length; tried += 1) {
        const target = all[next++ % all.length]!;
        const key = `${target.host}:${target.port}`;
        if ((skipUntil.get(key) ?? 0) > Date.now() && tried < all.length - 1) continue;
        let answer: http.IncomingMessage | 'refused';
        try {
          answer = await forward(req, body, target);
        } catch (error) {
          // the instance took the request and went away: whether it acted is unknown
          options.onLine?.(`${key} failed mid-request: ${(error as Error).message}`);
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('the API instance went away; retry with the same Idempotency-Key\n');
          return;
        }
        if (answer === 'refused') {
          skipUntil.set(key, Date.now() + SKIP_MS);
          continue;
        }
        served.set(key, (served.get(key) ?? 0) + 1);
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        return;
      }
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('no API instance is answering\n');
    })().catch((error: unknown) => {
      options.onLine?.(`front: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
