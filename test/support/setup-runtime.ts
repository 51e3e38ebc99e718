import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { workerRuntimeOptions } from '../../infra/temporal-logger';

/** Everything the worker's SDK logged in this test process, as the JSON lines production writes. */
export const workerLog: Record<string, unknown>[] = [];

const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    const entry = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
    workerLog.push(entry);
    // lifecycle lines are noise in test output; warnings and failures still show
    if (typeof entry.level === 'number' && entry.level >= 40) process.stderr.write(chunk);
    done();
  },
});

Runtime.install(workerRuntimeOptions(pino({ level: 'debug', base: { service: 'worker' } }, sink)));
