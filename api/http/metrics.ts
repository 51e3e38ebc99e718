import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express } from 'express';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus metrics, for the scraper alone: it sends `Authorization: Bearer <METRICS_TOKEN>`.
 * Without METRICS_TOKEN set the path is not served at all. (A token rather than a second port:
 * the scrape goes through the same address, proxy and TLS as the API, and nothing depends on a
 * port being unreachable from outside.)
 */
export function serveMetrics(app: Express, deps: ApiDeps): void {
  app.get(METRICS_PATH, async (req, res) => {
    const expected = deps.env.METRICS_TOKEN;
    if (!expected) {
      throw new AppError('NOT_FOUND', 'Metrics are not served: the service has no METRICS_TOKEN', {
        code: 'ROUTE_NOT_FOUND',
      });
    }
    const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !timingSafeEqual(digest(given), digest(expected))) {
      throw new AppError('UNAUTHENTICATED', 'Metrics need the bearer token set as METRICS_TOKEN', {
        code: given ? 'TOKEN_INVALID' : 'AUTHENTICATION_REQUIRED',
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
