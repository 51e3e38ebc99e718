import { pino, type Logger } from 'pino';
import type { Env } from '../config/env';

export type { Logger };

/** JSON lines by default; `LOG_FORMAT=pretty` prints readable lines for a terminal. */
export function createLogger(
  env: Pick<Env, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  name: string,
  /** where JSON lines go: standard output, or standard error (2) for tools whose output is their result */
  destination: 1 | 2 = 1,
): Logger {
  const options: pino.LoggerOptions = {
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
  };
  return destination === 2 && !options.transport ? pino(options, pino.destination(2)) : pino(options);
}
