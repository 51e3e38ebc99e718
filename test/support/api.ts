import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { inject } from 'vitest';
import { API_VERSION, createApp } from '../../api/app';
import { createApiDeps } from '../../api/create-deps';
import type { ApiDeps } from '../../api/deps';
import { hashPassword } from '../../api/http/auth';
import { buildOpenApiDocument } from '../../api/http/openapi';
import type { RouteDefinition } from '../../api/http/route';
import { allRoutes } from '../../api/routes';
import { loadEnv } from '../../config/env';
import { createDb, type Db } from '../../db/client';
import type { AuthUser, Role } from '../../domain/identity';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
/** What the tests' Prometheus would send to read /metrics. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-that-is-long-enough-0123456789';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** sent as is, with the given content type */
  raw?: { contentType: string; data: string | Buffer };
  headers?: Record<string, string>;
  /** skip the check against the OpenAPI document (for deliberately malformed requests) */
  unchecked?: boolean;
}

type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/**
 * Checks a response against the OpenAPI document: the documented status, content type and schema.
 * Every response an integration or end-to-end test receives goes through it.
 */
export function responseChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: document.components ?? {} });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  return (method: string, path: string, response: ApiResponse): void => {
    const pathname = path.split('?')[0]!;
    const match = templates.find((t) => t.regex.test(pathname));
    if (!match) throw new Error(`${method} ${pathname} is not in the OpenAPI document`);
    const operation = (
      document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
    )[match.template]![method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${match.template} is not in the OpenAPI document`);
    const documented = operation.responses[String(response.status)] as
      { content?: Record<string, { schema?: object }> } | undefined;
    if (!documented) {
      throw new Error(
        `${method} ${match.template} answered ${response.status}, which the OpenAPI document does not list: ${response.text.slice(0, 300)}`,
      );
    }
    if (!documented.content) return;
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = documented.content[contentType];
    if (!media) {
      throw new Error(
        `${method} ${match.template} ${response.status} answered ${contentType}, not documented`,
      );
    }
    if (!media.schema || !/^application\/([\w.-]+\+)?json$/.test(contentType)) return;
    const key = `${method} ${match.template} ${response.status} ${contentType}`;
    let validate = validators.get(key);
    if (!validate) {
      const schema = JSON.parse(
        JSON.stringify(media.schema).replaceAll('"#/components/', '"openapi.json#/components/'),
      ) as object;
      validate = ajv.compile(schema);
      validators.set(key, validate);
    }
    if (!validate(response.body)) {
      throw new Error(
        `${key} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${response.text.slice(0, 500)}`,
      );
    }
  };
}

/** Calls an API at `url`, checking every response against the OpenAPI document. */
export function httpCaller(url: string, check: ReturnType<typeof responseChecker>) {
  return async function call<T>(
    method: string,
    path: string,
    opts: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.raw) {
      headers['content-type'] = opts.raw.contentType;
      body = opts.raw.data;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    const isJson = /^application\/([\w.-]+\+)?json\b/.test(res.headers.get('content-type') ?? '');
    const response: ApiResponse<T> = {
      status: res.status,
      headers: res.headers,
      body: (isJson && text ? JSON.parse(text) : text) as T,
      text,
    };
    if (!opts.unchecked) check(method, path, response);
    return response;
  };
}

export interface TestApi {
  url: string;
  /** the Express app, for a test that serves it another way besides the port */
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  /** the run's database, for scenes a test sets and facts it checks beside the API */
  db: Db;
  document: OpenApiDocument;
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  /** a user of the role, created directly, with a token */
  givenUser(
    role: Role,
    options?: {
      enterpriseId?: string;
      providerId?: string;
      locale?: 'zh-CN' | 'en';
      password?: string;
      /** as a user who registered and has not confirmed their e-mail yet */
      unverified?: boolean;
    },
  ): Promise<{ user: AuthUser; token: string; email: string; password: string }>;
  stop(): Promise<void>;
}

/** The API app in this process, on a free port, against the run's database, Temporal and SMTP. */
export async function startTestApi(options: {
  taskQueue: string;
  env?: Record<string, string>;
  /** routes mounted besides the real ones (and described in the document like them) */
  extraRoutes?: RouteDefinition[];
}): Promise<TestApi> {
  const services = inject('services');
  const env = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: services.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    SMTP_URL: services.smtpUrl,
    PUBLIC_URL: 'http://vouchers.test',
    JWT_SECRET: TEST_JWT_SECRET,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    // every test file signs in from 127.0.0.1 against the run's one database
    RATE_LIMIT_REGISTER_PER_HOUR: '100000',
    SIGN_IN_ADDRESS_FAILURES_PER_HOUR: '100000',
    SIGN_IN_FAILURES_BEFORE_DELAY: '1000',
    RATE_LIMIT_ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR: '100000',
    RATE_LIMIT_ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR: '100000',
    ...options.env,
  });
  const { deps, close } = createApiDeps(env);
  const db = createDb(env.DATABASE_URL, 3);
  const routes = [...allRoutes, ...(options.extraRoutes ?? [])];
  const app = createApp(deps, routes);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const document = buildOpenApiDocument(routes, { version: API_VERSION, serverUrl: url });
  const check = responseChecker(document);

  const call = httpCaller(url, check);

  return {
    url,
    app,
    deps,
    db,
    document,
    call,
    async givenUser(role, userOptions = {}) {
      const email = `${role.toLowerCase()}-${randomUUID().slice(0, 12)}@vouchers.test`;
      const password = userOptions.password ?? 'correct horse battery staple';
      // made directly, as the seed or an administrator makes accounts: the address counts as confirmed
      // unless the test wants one that registered and has not followed its link yet
      const user = await deps.repos.users.create({
        id: randomUUID(),
        email,
        passwordHash: await hashPassword(password),
        role,
        displayName: `${role} tester`,
        locale: userOptions.locale ?? 'zh-CN',
        enterpriseId: userOptions.enterpriseId ?? null,
        providerId: userOptions.providerId ?? null,
        emailVerifiedAt: userOptions.unverified ? null : new Date(),
      });
      if (!user) throw new Error('test user e-mail collided');
      const { token } = await deps.tokens.issue({ ...user, tokenVersion: 0 });
      return { user, token, email, password };
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // a response a failed test left half-read would keep the server open for ever
      server.closeAllConnections();
      await closed;
      await Promise.all([close(), db.$disconnect()]);
    },
  };
}
