import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import { makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from './logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the SDK's log lines (workflow and activity lifecycle, failures with their workflowId,
 * runId and activityId) into the process's structured JSON log.
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    // the task token completes an activity on its own: it has no place in a log
    const { error, failure, taskToken: _taskToken, ...rest } = (meta ?? {}) as Record<string, unknown>;
    const err = error ?? failure;
    logger[levels[level]]({ ...rest, ...(err instanceof Error ? { err } : err ? { err } : {}) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/** The worker runtime: SDK and core (Rust) log lines, warnings and up from core, in our log. */
export function workerRuntimeOptions(logger: Logger): RuntimeOptions {
  return {
    logger: temporalLogger(logger),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
    },
  };
}
