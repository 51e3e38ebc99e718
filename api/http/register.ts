import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { requestIdOf } from './request-id';
import { setServerTiming, timed } from './server-timing';
import { parseOrThrow, refuseInvalidText } from './validation';
import { fullPath, type Reply, type RouteDefinition } from './route';

const NoInput = z.strictObject({});
const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1 to 255 visible ASCII characters' });

/** Mounts each route with its chain: authenticate → authorise → rate limit → parse → validate → handle. */
export function mountRoutes(router: Router, routes: RouteDefinition[], deps: ApiDeps): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [authenticate(route, deps), rateLimit(route, deps)];
    if (route.request?.body) chain.push(...parseJsonBody(route, deps));
    chain.push(handle(route, deps));
    router[route.method](fullPath(route), ...chain);
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"', {
      code: 'TOKEN_INVALID',
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
    });
  }
  return match[1]!;
}

function authenticate(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  return async (req, _res, next) => {
    if (route.access === 'public') return next();
    const token = bearerToken(req.get('authorization'));
    if (!token) {
      throw new AppError(
        'UNAUTHENTICATED',
        'This endpoint needs a bearer token; obtain one from POST /api/v1/auth/login',
        {
          code: 'AUTHENTICATION_REQUIRED',
          headers: { 'WWW-Authenticate': 'Bearer' },
        },
      );
    }
    const { claims, session } = await timed('auth', async () => {
      const claims = await deps.tokens.verify(token);
      // one query: the user's state and whether this token was signed out
      return { claims, session: await deps.repos.users.findSession(claims.userId, claims.jti) };
    });
    if (!session) {
      throw new AppError('UNAUTHENTICATED', 'The token belongs to no current user', {
        code: 'TOKEN_INVALID',
      });
    }
    if (session.disabled) {
      throw new AppError('UNAUTHENTICATED', 'This account has been disabled; ask an administrator', {
        code: 'ACCOUNT_DISABLED',
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (session.revoked || session.tokenVersion !== claims.version) {
      throw new AppError('UNAUTHENTICATED', 'This session was signed out; sign in again', {
        code: 'TOKEN_REVOKED',
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
    const { user } = session;
    if (!route.access.includes(user.role)) {
      throw new AppError('FORBIDDEN', `This endpoint is for ${route.access.join(', ')} users`, {
        code: 'ROLE_NOT_ALLOWED',
      });
    }
    req.user = user;
    req.token = { jti: claims.jti, expiresAt: claims.expiresAt };
    next();
  };
}

function rateLimit(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  const kind = route.rateLimit ?? (route.method === 'get' ? 'none' : 'write');
  return async (req, _res, next) => {
    await timed('limit', () => consume(req));
    next();
  };

  async function consume(req: express.Request): Promise<void> {
    const ip = req.ip ?? 'unknown';
    if (kind === 'login') {
      await deps.rateLimits.consume('loginIp', ip);
    } else if (kind === 'register') {
      await deps.rateLimits.consume('registerIp', ip);
    } else if (kind === 'account-mail') {
      // per address here; per recipient in the handler, which knows the address mailed
      await deps.rateLimits.consume('accountMailIp', ip);
    } else if (kind === 'write') {
      // a signed-in caller is counted as themselves: many SMEs of one office share its address
      if (req.user) await deps.rateLimits.consume('writeUser', req.user.id);
      else await deps.rateLimits.consume('writeIp', ip);
    }
  }
}

function parseJsonBody(route: RouteDefinition, deps: ApiDeps): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json', {
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    next();
  };
  return [
    requireJson,
    express.json({ limit: route.bodyLimitBytes ?? deps.env.BODY_LIMIT_BYTES, strict: false }),
  ];
}

/** A UUID (version 4 layout) that the same caller, route and Idempotency-Key always get. */
function idOfKey(userId: string, route: RouteDefinition, key: string): string {
  const hex = createHash('sha256').update(`${userId}\n${route.method} ${route.path}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function requestHash(route: RouteDefinition, params: unknown, query: unknown, body: unknown): string {
  const canonical = canonicalize({ method: route.method, path: route.path, params, query, body }) ?? '';
  return createHash('sha256').update(canonical).digest('hex');
}

function handle(route: RouteDefinition, deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    const rawBody: unknown = req.body;
    refuseInvalidText({ path: req.params, query: req.query, body: rawBody });
    const params = parseOrThrow(route.request?.params ?? NoInput, req.params, 'path');
    const query = parseOrThrow(route.request?.query ?? NoInput, req.query, 'query');
    const body = route.request?.body ? parseOrThrow(route.request.body, rawBody, 'body') : undefined;
    const requestId = requestIdOf(req);
    const keyHeader = route.idempotent ? req.get('idempotency-key') : undefined;
    const key =
      keyHeader === undefined || !req.user
        ? null
        : parseOrThrow(
            z.object({ 'idempotency-key': IdempotencyKey }),
            { 'idempotency-key': keyHeader },
            'header',
          )['idempotency-key'];
    const newId = key === null ? randomUUID : () => idOfKey(req.user!.id, route, key);
    const context = { params, query, body, user: req.user ?? null, requestId, newId, deps, req, res };
    if (key === null) {
      send(res, await route.handler(context));
      return;
    }
    const userId = req.user!.id;
    const claim = await deps.repos.idempotency.claim({
      userId,
      key,
      method: route.method.toUpperCase(),
      path: req.originalUrl.split('?')[0] ?? req.originalUrl,
      requestHash: requestHash(route, req.params, req.query, rawBody),
    });
    switch (claim.kind) {
      case 'replay':
        res.set('Idempotent-Replayed', 'true');
        send(res, { status: claim.status, body: claim.body });
        return;
      case 'mismatch':
        throw new AppError('CONFLICT', 'This Idempotency-Key was used for a different request', {
          code: 'IDEMPOTENCY_KEY_REUSED',
        });
      case 'in-progress':
        throw new AppError(
          'CONFLICT',
          'A request with this Idempotency-Key is still being processed; retry shortly',
          {
            code: 'IDEMPOTENCY_KEY_IN_USE',
            headers: { 'Retry-After': '1' },
          },
        );
      case 'claimed':
        break;
    }
    let reply: Reply;
    try {
      reply = await route.handler(context);
    } catch (error) {
      // a refusal changes nothing, so the same key may be retried once the cause is fixed
      await deps.repos.idempotency.release(userId, key);
      throw error;
    }
    await deps.repos.idempotency.complete(userId, key, reply.status, reply.body);
    send(res, reply);
  };
}

function send(res: express.Response, reply: Reply): void {
  if (reply.streamed) return;
  setServerTiming(res);
  res.status(reply.status);
  if (reply.headers) res.set(reply.headers);
  if (reply.body === undefined) {
    res.end();
  } else if (reply.contentType) {
    res.type(reply.contentType).send(reply.body);
  } else {
    res.json(reply.body);
  }
}
