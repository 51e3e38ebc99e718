import type { RequestHandler } from 'express';

/**
 * Keeps every answer of the API out of caches — the browser's, a proxy's, a CDN's: most carry
 * personal data or belong to one signed-in user, and the rest change with every write. Set before
 * the route runs, so refusals and errors carry it too.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
