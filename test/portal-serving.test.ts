import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, servePortal } from '../api/http/portal';

let root: string;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'portal-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>portal</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  const app = express();
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  app.get('/api/v1/ping', (_req, res) => {
    res.json({ ok: true });
  });
  servePortal(app, root);
  app.use((_req, res) => {
    res.status(404).type('application/problem+json').send('{"code":"ROUTE_NOT_FOUND"}');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close();
  await rm(root, { recursive: true, force: true });
});

const page = (pathname: string) => fetch(`${url}${pathname}`, { headers: { accept: 'text/html,*/*' } });

describe('the portal served by the API', () => {
  it('answers every page path with the app, so that a deep link survives a reload', async () => {
    for (const pathname of ['/', '/sme', '/bookings/1b4e28ba-2fa1-11d2-883f-0016d3cca427', '/sign-in']) {
      const res = await page(pathname);
      expect(res.status, pathname).toBe(200);
      expect(await res.text()).toContain('<title>portal</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('allows scripts, styles and requests from its own origin only', async () => {
    const csp = (await page('/sme')).headers.get('content-security-policy') ?? '';
    for (const directive of ['default-src', 'script-src', 'style-src', 'connect-src', 'font-src']) {
      expect(csp).toMatch(new RegExp(`${directive} 'self'(;|$)`));
    }
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|unsafe-eval|\*/);
  });

  it('serves hashed assets for a year, and leaves the API, missing assets and non-page requests alone', async () => {
    const asset = await fetch(`${url}/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/assets/missing.js`, { headers: { accept: '*/*' } })).status).toBe(404);
    expect((await page('/assets/missing.js')).status).toBe(404);
    expect((await page('/api/v1/nothing')).status).toBe(404);
    expect(await (await page('/api/v1/ping')).json()).toEqual({ ok: true });
    expect((await fetch(`${url}/sme`, { headers: { accept: 'application/json' } })).status).toBe(404);
  });

  it('says how to build the portal when there is none, and serves it as soon as it is built', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'portal-unbuilt-'));
    const app = express();
    servePortal(app, empty);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sme`;
    try {
      const before = await fetch(at, { headers: { accept: 'text/html' } });
      expect(before.status).toBe(503);
      expect(await before.text()).toContain('npm run web:build');
      await writeFile(path.join(empty, 'index.html'), '<!doctype html><title>built later</title>');
      const after = await fetch(at, { headers: { accept: 'text/html' } });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('built later');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(empty, { recursive: true, force: true });
    }
  });
});
