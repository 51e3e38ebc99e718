import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../api/deps';
import { AppError } from '../api/errors';
import { intoWorkflow } from '../api/http/workflows';

const deps = {
  env: { PROCESS_ANSWER_WITHIN: '15s' },
  temporal: { withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call() },
} as unknown as Pick<ApiDeps, 'env' | 'temporal'>;

/** What the Temporal client throws when the server refuses an update while the process's last workflow task is failed. */
const workflowTaskFailed = () =>
  Object.assign(
    new Error('Unable to perform workflow execution update due to Workflow Task in failed state.'),
    { code: 9, details: 'Update-with-Start could not be executed.' },
  );

async function refusalOf(error: Error): Promise<unknown> {
  return intoWorkflow(deps, () => Promise.reject(error), 'the application', '/api/v1/applications/1').catch(
    (refusal: unknown) => refusal,
  );
}

describe('a process that cannot answer for a moment (its worker died holding its task)', () => {
  it('is a 503 PROCESS_BUSY to repeat shortly, not a 500, bare or wrapped by the client', async () => {
    for (const error of [
      workflowTaskFailed(),
      new ServiceError('Update-with-Start could not be executed', { cause: workflowTaskFailed() }),
    ]) {
      const refusal = await refusalOf(error);
      expect(refusal).toBeInstanceOf(AppError);
      expect(refusal).toMatchObject({
        kind: 'UNAVAILABLE',
        code: 'PROCESS_BUSY',
        headers: { 'Retry-After': '1' },
        details: { location: '/api/v1/applications/1' },
      });
    }
  });

  it('is a 503 PROCESS_BUSY, may still take effect, when the service gave up waiting on the process', async () => {
    const timedOut = Object.assign(new Error('context deadline exceeded'), { code: 4 });
    const refusal = await refusalOf(new ServiceError('Failed to query Workflow', { cause: timedOut }));
    expect(refusal).toMatchObject({
      kind: 'UNAVAILABLE',
      code: 'PROCESS_BUSY',
      headers: { 'Retry-After': '5' },
    });
    expect((refusal as Error).message).toContain('may still take effect');
  });

  it('leaves other failed preconditions and other errors as they are', async () => {
    const other = Object.assign(new Error('Workflow execution already completed'), { code: 9 });
    expect(await refusalOf(other)).toBe(other);
    const plain = new Error('Workflow Task in failed state, but no gRPC code');
    expect(await refusalOf(plain)).toBe(plain);
  });
});
