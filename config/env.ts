import { z } from 'zod';
import { durationMs, isDuration } from '../domain/duration';
import { DurationSchema } from '../domain/duration-schema';
import { PayoutScheduleSchema } from '../domain/policy';
import { DEFAULT_DATABASE_URL } from './database';
import { DEFAULT_MATCHING_WEIGHTS, MatchingLeadDaysSchema, MatchingWeightsEnvSchema } from './matching';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = (protocols: string[]) =>
  z
    .url({ error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` })
    .refine((value) => protocols.includes(new URL(value).protocol), {
      error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    });
const emailList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email({ error: 'must be a comma-separated list of e-mail addresses' })));

/**
 * `false` (no proxy: the client is the connection's peer), a number of proxies in front of the API
 * (`true` counts as one), or a comma-separated list of proxy addresses, subnets or `loopback`,
 * `linklocal`, `uniquelocal`. Trusting every proxy would let a client name any address it likes.
 */
const TrustProxySchema = z
  .string()
  .trim()
  .refine(
    (value) =>
      /^(true|false|\d{1,2})$/.test(value) ||
      value
        .split(',')
        .map((item) => item.trim())
        .every((item) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(item)),
    {
      error:
        'must be false, a number of proxies (true = 1), or a comma-separated list of proxy addresses or subnets',
    },
  );

/** The value for Express's `trust proxy` setting. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'false') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((item) => item.trim());
}

const development = 'development-only-secret-change-me-0123456789';

export const DEFAULT_STUCK_AFTER = '5m';

/**
 * Every setting the service reads, from environment variables. Defaults suit a developer machine;
 * production refuses to start on the development JWT secret.
 */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),

    DATABASE_URL: url(['postgresql:', 'postgres:']).default(DEFAULT_DATABASE_URL),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    // the worker's connections kept for the steps callers wait for (README, "Configuration")
    WAITED_STEPS_POOL_SIZE: positiveInt.default(4),

    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[\w.-]+:\d{1,5}$/, { error: 'must be host:port, e.g. 127.0.0.1:7233' })
      .default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('testing-vouchers'),
    TEMPORAL_UI_URL: url(['http:', 'https:']).default('http://127.0.0.1:8233'),
    // a workflow bundle built ahead of time (tests, containers); otherwise the worker bundles at start
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    // Worker Deployment versioning: workers of one build form a version of the deployment, and runs
    // move between versions only as their versioning behaviour allows (README: Changing a workflow safely)
    WORKER_VERSIONING: z.enum(['true', 'false']).default('false'),
    TEMPORAL_DEPLOYMENT_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be letters, digits, "-" or "_" (no "." or ":")' })
      .default('testing-vouchers'),
    // default: the package version and a hash of the workflow bundle, so that changed code is a new build
    WORKER_BUILD_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.+-]{1,200}$/, { error: 'must be letters, digits, ".", "+", "-" or "_"' })
      .optional(),
    // an activity failing for longer than this since it was first scheduled is listed as stuck
    STUCK_AFTER: DurationSchema.default(DEFAULT_STUCK_AFTER),

    SMTP_URL: url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().min(3).default('检测券服务 Testing Vouchers <no-reply@vouchers.example.cn>'),
    OPS_EMAIL: z.email({ error: 'must be an e-mail address' }).default('ops@vouchers.example.cn'),
    ESCALATION_EMAILS: emailList.default([]),

    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: port.default(3000),
    PUBLIC_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
    CORS_ORIGINS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .default([]),
    BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
    REPORT_LIMIT_BYTES: positiveInt.default(10 * 1024 * 1024),
    // which proxies may say who the client is (X-Forwarded-For): see trustProxySetting
    TRUST_PROXY: TrustProxySchema.default('false'),
    // how long a client may take to send a request's headers, and the whole request with its body;
    // past either the API answers 408 and closes the connection (checked every second)
    HEADERS_TIMEOUT: DurationSchema.default('10s'),
    REQUEST_TIMEOUT: DurationSchema.default('60s'),
    // the bearer token Prometheus sends to read /metrics; without it /metrics is not served
    METRICS_TOKEN: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),

    JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).default(development),
    JWT_ISSUER: z.string().min(1).default('testing-vouchers'),
    JWT_TTL_SECONDS: positiveInt.default(3600),

    IDEMPOTENCY_ABANDONED_AFTER_SECONDS: positiveInt.default(60),
    // how long the answer to a write with an Idempotency-Key is kept and replayed; then it is deleted
    IDEMPOTENCY_RETENTION: DurationSchema.default('24h'),
    // when payout batches run for programmes whose policy names no schedule: a cron expression or an
    // interval; daily in development, monthly (the 1st, 02:00 Asia/Shanghai) in production
    PAYOUT_SCHEDULE_DEFAULT: PayoutScheduleSchema.optional(),
    // when the whole audit chain is verified in the background (a cron expression in Asia/Shanghai time
    // or an interval), or `off`; nightly at 03:30 by default
    AUDIT_VERIFICATION_SCHEDULE: z.union([z.literal('off'), PayoutScheduleSchema]).default('30 3 * * *'),
    // how long a request waits for a process (an update, a start and its result, a query) before it
    // answers 503 PROCESS_BUSY with where to look; well under the usual 30-60 s of clients and proxies
    PROCESS_ANSWER_WITHIN: DurationSchema.refine((value) => !isDuration(value) || durationMs(value) >= 100, {
      error: 'must be at least 100ms',
    }).default('15s'),
    // sign-in requests from one address per minute, whatever their outcome (a flood, not a guess)
    RATE_LIMIT_LOGIN_PER_MINUTE: positiveInt.default(60),
    // account registrations from one address per hour, counted apart from sign-in
    RATE_LIMIT_REGISTER_PER_HOUR: positiveInt.default(20),
    // sign-in failures (README: Signing in): after this many consecutive failures of one account from
    // one address, each failure makes that pair wait, doubling from the first delay up to the longest
    SIGN_IN_FAILURES_BEFORE_DELAY: positiveInt.default(5),
    SIGN_IN_FIRST_DELAY: DurationSchema.default('1m'),
    SIGN_IN_LONGEST_DELAY: DurationSchema.default('1h'),
    // how long failures of an account and address are remembered; a successful sign-in forgets them
    SIGN_IN_FAILURE_MEMORY: DurationSchema.default('24h'),
    // failures from one address across all accounts per hour (password spraying); then it waits out the hour
    SIGN_IN_ADDRESS_FAILURES_PER_HOUR: positiveInt.default(100),
    // failures on one account from any address within the window that make administrators get one e-mail
    SIGN_IN_ALERT_FAILURES: positiveInt.default(20),
    SIGN_IN_ALERT_WINDOW: DurationSchema.default('1h'),
    // how long a mailed password-reset link works, once
    PASSWORD_RESET_TTL: DurationSchema.default('1h'),
    // how long the link mailed to a new administrator or auditor to choose their password works, once
    ACCOUNT_SETUP_TTL: DurationSchema.default('3d'),
    // how long the link verifying a new user's e-mail works, once
    EMAIL_VERIFICATION_TTL: DurationSchema.default('2d'),
    // how long a colleague's invitation link works, once
    INVITATION_TTL: DurationSchema.default('7d'),
    // mails with an account link (reset, verification) asked for per hour, from one address and to one recipient
    RATE_LIMIT_ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR: positiveInt.default(20),
    RATE_LIMIT_ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR: positiveInt.default(5),
    // the least zxcvbn score (0-4) a new password must reach
    PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
    RATE_LIMIT_WRITES_PER_MINUTE: positiveInt.default(120),

    // provider onboarding (docs/policy.md, "Matching"): review SLA and accreditation watch; shortened in tests
    PROVIDER_REVIEW_REMINDER_AFTER: DurationSchema.default('3d'),
    PROVIDER_REVIEW_ESCALATE_AFTER: DurationSchema.default('5d'),
    PROVIDER_EXPIRY_CHECK_EVERY: DurationSchema.default('1d'),
    PROVIDER_EXPIRY_WARNING_BEFORE: DurationSchema.default('30d'),
    MATCHING_WEIGHTS: MatchingWeightsEnvSchema.default(DEFAULT_MATCHING_WEIGHTS),
    MATCHING_LEAD_DAYS: MatchingLeadDaysSchema.default(1),
  })
  .superRefine((env, ctx) => {
    if (
      isDuration(env.SIGN_IN_FIRST_DELAY) &&
      isDuration(env.SIGN_IN_LONGEST_DELAY) &&
      durationMs(env.SIGN_IN_LONGEST_DELAY) < durationMs(env.SIGN_IN_FIRST_DELAY)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIGN_IN_LONGEST_DELAY'],
        message: 'must be at least SIGN_IN_FIRST_DELAY',
      });
    }
    if (
      isDuration(env.PROVIDER_REVIEW_ESCALATE_AFTER) &&
      isDuration(env.PROVIDER_REVIEW_REMINDER_AFTER) &&
      durationMs(env.PROVIDER_REVIEW_ESCALATE_AFTER) <= durationMs(env.PROVIDER_REVIEW_REMINDER_AFTER)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['PROVIDER_REVIEW_ESCALATE_AFTER'],
        message: 'must be longer than PROVIDER_REVIEW_REMINDER_AFTER',
      });
    }
    if (
      isDuration(env.HEADERS_TIMEOUT) &&
      isDuration(env.REQUEST_TIMEOUT) &&
      durationMs(env.HEADERS_TIMEOUT) > durationMs(env.REQUEST_TIMEOUT)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['HEADERS_TIMEOUT'],
        message: 'must not be longer than REQUEST_TIMEOUT',
      });
    }
    if (
      isDuration(env.IDEMPOTENCY_RETENTION) &&
      durationMs(env.IDEMPOTENCY_RETENTION) <= env.IDEMPOTENCY_ABANDONED_AFTER_SECONDS * 1000
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['IDEMPOTENCY_RETENTION'],
        message: 'must be longer than IDEMPOTENCY_ABANDONED_AFTER_SECONDS',
      });
    }
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === development) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'must be set to a secret of at least 32 characters in production',
      });
    }
  });

export type Env = z.output<typeof EnvSchema>;

/** When payouts run for a programme whose policy names no schedule: monthly in production, daily otherwise. */
export function defaultPayoutSchedule(env: Pick<Env, 'NODE_ENV' | 'PAYOUT_SCHEDULE_DEFAULT'>): string {
  return env.PAYOUT_SCHEDULE_DEFAULT ?? (env.NODE_ENV === 'production' ? '0 2 1 * *' : '0 2 * * *');
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a wrong value names the variable and what it expects. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // an empty variable counts as unset, as in most shells' `VAR= command`
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
}
