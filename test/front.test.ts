import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFront, type Front } from '../scripts/lib/front';
import { freePort } from '../scripts/lib/ports';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An API instance stand-in: answers with its name, the path, the body and who it was told the client is. */
async function instance(
  name: string,
  handle?: (req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  const server = http.createServer((req, res) => {
    if (handle) return handle(req, res);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-instance': name });
      res.end(JSON.stringify({ name, path: req.url, body, forwardedFor: req.headers['x-forwarded-for'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  closers.push(close);
  return { port: (server.address() as AddressInfo).port, close };
}

async function front(ports: number[]): Promise<Front> {
  const started = await startFront({ upstreams: ports.map((p) => `127.0.0.1:${p}`), port: 0 });
  closers.push(() => started.close());
  return started;
}

describe('the round-robin front', () => {
  it('sends requests to the instances in turn, with the body, path and the client’s address', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    const f = await front([a.port, b.port]);
    const answers: { name: string; path: string; body: string; forwardedFor: string }[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await fetch(`${f.url}/api/v1/things?i=${i}`, { method: 'POST', body: `{"i":${i}}` });
      answers.push((await res.json()) as (typeof answers)[number]);
    }
    expect(answers.map((x) => x.name)).toEqual(['a', 'b', 'a', 'b']);
    expect(answers[3]).toMatchObject({
      path: '/api/v1/things?i=3',
      body: '{"i":3}',
      forwardedFor: '127.0.0.1',
    });
    expect(Object.fromEntries(f.served)).toEqual({
      [`127.0.0.1:${a.port}`]: 2,
      [`127.0.0.1:${b.port}`]: 2,
    });
  });

  it('passes a request an instance refused the connection for to the next one', async () => {
    const a = await instance('a');
    const dead = await freePort();
    const f = await front([dead, a.port]);
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${f.url}/x`, { method: 'POST', body: 'once' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }).name).toBe('a');
    }
  });

  it('answers 502 when the instance goes away holding the request, and 503 when none answers', async () => {
    const dying = await instance('dying', (req) => req.socket.destroy());
    const f = await front([dying.port]);
    expect((await fetch(`${f.url}/x`, { method: 'POST', body: '{}' })).status).toBe(502);
    await dying.close();
    const res = await fetch(`${f.url}/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
