import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

/** Where `npm run web:build` writes the portal. */
export const PORTAL_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Paths that are never a portal page: the API's own, and the built assets. */
const NOT_PAGES = /^\/(api|assets|docs|openapi\.json|healthz|readyz|metrics)(\/|$)/;

/**
 * The content security policy of every response: scripts, styles, fonts, images and requests from the
 * service's own origin only (the portal is built with no inline script or style and loads nothing from
 * another host), no plugins, no framing.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    scriptSrcAttr: ["'none'"],
  },
};

/**
 * Serves the built portal at `/`: hashed assets cached for a year, and `index.html` (revalidated each
 * time) for any page path, so that a deep link survives a reload and a rebuilt portal is served at once.
 * Without a build, page paths answer a short page saying how to build it.
 */
export function servePortal(app: Express, root: string = PORTAL_DIST): void {
  const indexFile = path.join(root, 'index.html');
  app.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '365d' }));
  app.use(express.static(root, { index: false, maxAge: '1h' }));
  app.get(/.*/, (req, res, next) => {
    // a browser navigating asks for text/html by name; a script or an API client does not
    const wantsPage = (req.get('accept') ?? '').includes('text/html');
    if (!wantsPage || NOT_PAGES.test(req.path) || path.extname(req.path) !== '') return next();
    if (existsSync(indexFile)) {
      res.sendFile(indexFile, { headers: { 'Cache-Control': 'no-cache' } });
      return;
    }
    res
      .status(503)
      .set('Cache-Control', 'no-cache')
      .type('html')
      .send(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Portal not built</title>' +
          '<p>The portal has not been built. Run <code>npm run web:build</code> (or <code>npm start</code>, which builds it).</p></html>',
      );
  });
}
