import { pino, type Logger } from 'pino';
import type { Env } from '../config/env';

export type { Logger };

/** JSON lines by default; `LOG_FORMAT=pretty` prints readable lines for a terminal. */
export function createLogger(env: Pick<Env, 'LOG_LEVEL' | 'LOG_FORMAT'>, name: string): Logger {
  return pino({
    name,
    level: env.LOG_LEVEL,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.passwordHash'],
      censor: '[redacted]',
    },
    ...(env.LOG_FORMAT === 'pretty'
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              colorize: true,
              singleLine: true,
              translateTime: 'HH:MM:ss.l',
              ignore: 'pid,hostname,service,time',
            },
          },
        }
      : {}),
  });
}
