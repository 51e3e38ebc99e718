import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { trustProxySetting } from '../config/env';
import type { ApiDeps } from './deps';
import { AppError } from './errors';
import { noStore } from './http/cache';
import { METRICS_PATH, serveMetrics } from './http/metrics';
import { buildOpenApiDocument } from './http/openapi';
import { CONTENT_SECURITY_POLICY, servePortal } from './http/portal';
import { problemHandler } from './http/problem';
import { mountRoutes } from './http/register';
import { startServerTiming } from './http/server-timing';
import { API_PREFIX, type RouteDefinition } from './http/route';
import { allRoutes } from './routes';

const REQUEST_ID = /^[\w.-]{1,64}$/;

export const API_VERSION = '1.0.0';

export interface AppOptions {
  /** the built portal's folder; `web/dist` by default */
  portalRoot?: string;
}

export function createApp(
  deps: ApiDeps,
  routes: RouteDefinition[] = allRoutes,
  options: AppOptions = {},
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(deps.env.TRUST_PROXY));

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === METRICS_PATH },
    }),
  );
  app.use(startServerTiming());
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  app.use(
    cors({
      origin: deps.env.CORS_ORIGINS.length ? deps.env.CORS_ORIGINS : false,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'Server-Timing'],
    }),
  );
  app.use((req, res, next) => {
    const end = deps.metrics.httpRequestDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });

  app.use([API_PREFIX, METRICS_PATH], noStore);
  serveMetrics(app, deps);

  const router = express.Router();
  mountRoutes(router, routes, deps);
  app.use(router);

  const document = buildOpenApiDocument(routes, { version: API_VERSION, serverUrl: deps.env.PUBLIC_URL });
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Swagger UI's page carries inline <style> blocks: only /docs may apply inline styles (still no other host)
  app.use(
    '/docs',
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: { ...CONTENT_SECURITY_POLICY.directives, styleSrc: ["'self'", "'unsafe-inline'"] },
    }),
  );
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' } }));
  servePortal(app, options.portalRoot);

  app.use((req, _res, next) => {
    next(
      new AppError('NOT_FOUND', `No endpoint ${req.method} ${req.path}; see /openapi.json`, {
        code: 'ROUTE_NOT_FOUND',
      }),
    );
  });
  app.use(problemHandler(deps.logger));
  return app;
}
