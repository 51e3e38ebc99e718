import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalPayoutSchedules } from '../infra/payout-schedules';

/** A server that takes connections and never says a word: a Temporal frontend that hangs. */
let silent: Server;
const sockets: Socket[] = [];
let connection: Connection;

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  connection = Connection.lazy({ address: `127.0.0.1:${(silent.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await connection?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

describe('reading a payout schedule', () => {
  it('fails within its time when Temporal does not answer, instead of holding the claim step', async () => {
    const schedules = temporalPayoutSchedules(new Client({ connection }), 'payouts', { readWithinMs: 300 });
    const started = performance.now();
    const failure = await schedules.nextRun('programme-1').then(
      () => null,
      (error: unknown) => error as Error & { cause?: { code?: number; details?: string } },
    );
    // gRPC's DEADLINE_EXCEEDED
    expect(failure?.cause?.code).toBe(4);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
