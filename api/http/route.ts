import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ApiDeps } from '../deps';
import type { ErrorKind } from '../errors';

export { ROLES, type AuthUser, type Role } from '../../domain/identity';
import type { AuthUser, Role } from '../../domain/identity';

export type Access = 'public' | readonly Role[];

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteRequest {
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** defaults to application/json */
  contentType?: string;
}

export interface Reply {
  status: number;
  /** the handler wrote the response itself (e.g. a streamed export) */
  streamed?: true;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerContext<R extends RouteRequest, A extends Access> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  user: A extends 'public' ? AuthUser | null : AuthUser;
  requestId: string;
  /**
   * The id of what the request creates: derived from the caller and its Idempotency-Key when it
   * sent one, so that a retry after an answer that never arrived (or a 503) names the same item
   * instead of creating a second one; random otherwise.
   */
  newId: () => string;
  deps: ApiDeps;
  req: Request;
  res: Response;
}

export interface RouteDefinition<R extends RouteRequest = RouteRequest, A extends Access = Access> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path below the API prefix, e.g. `/applications/:id` */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** who may call it; `public` needs no token */
  access: A;
  request?: R;
  /** accepts an Idempotency-Key header that replays the first answer */
  idempotent?: boolean;
  /**
   * `login` for credential checks, `register` for new accounts, `account-mail` for requests that mail a
   * link (also limited per recipient by the handler); every other non-GET route counts as a write
   */
  rateLimit?: 'login' | 'register' | 'account-mail' | 'write' | 'none';
  /** body limit in bytes when larger than the default, e.g. report uploads */
  bodyLimitBytes?: number;
  responses: Record<number, ResponseSpec>;
  /** error kinds this route can answer with, besides those every route can */
  errors?: ErrorKind[];
  /** mounted outside /api/v1, e.g. health checks */
  root?: boolean;
  handler: (ctx: HandlerContext<R, A>) => Promise<Reply>;
}

/** Keeps the handler's context typed from the declared schemas. */
export function defineRoute<R extends RouteRequest, A extends Access>(
  route: RouteDefinition<R, A>,
): RouteDefinition {
  return route;
}

export const API_PREFIX = '/api/v1';

export function fullPath(route: Pick<RouteDefinition, 'path' | 'root'>): string {
  return route.root ? route.path : `${API_PREFIX}${route.path}`;
}
