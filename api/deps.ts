import type { Client } from '@temporalio/client';
import type { Clock } from '../activities/deps';
import type { NotificationRequest } from '../activities/notifications';
import type { TemplateName } from '../notifications/templates';
import type { Env } from '../config/env';
import type { Repositories } from '../db/repositories';
import type { Logger } from '../infra/logger';
import type { Metrics } from '../infra/metrics';
import type { ProcessWatch } from '../infra/process-watch';
import type { TokenService } from './http/auth';
import type { RateLimits } from './http/rate-limit';
import type { SignInWatch } from './http/sign-in';

/** A named dependency `/readyz` checks; it throws when the dependency cannot be reached. */
export type ReadinessCheck = () => Promise<void>;

export interface ApiDeps {
  env: Env;
  repos: Repositories;
  temporal: Client;
  logger: Logger;
  metrics: Metrics;
  /** failed and stuck processes, for operators */
  processes: ProcessWatch;
  clock: Clock;
  tokens: TokenService;
  rateLimits: RateLimits;
  /** sign-in limits per account and address, their audit entries and the administrators' alert */
  signIns: SignInWatch;
  /** sends a templated mail through the outbox, once per event and recipient */
  notify: <Name extends TemplateName>(request: NotificationRequest<Name>) => Promise<unknown>;
  readiness: Record<string, ReadinessCheck>;
}
