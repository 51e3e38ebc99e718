import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSearchAttributes, SEARCH_ATTRIBUTE_NAMES } from '../infra/search-attributes';
import { processSearchAttributes } from '../workflows/kit/search-attributes';
import type { taggedBooking } from './fixtures/tagged-workflows';
import { bundleFixture } from './support/fixtures';
import { until } from './support/scenarios';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

const { EventType, IndexedValueType } = proto.temporal.api.enums.v1;
let worker: TestWorkerHarness;
let client: Client;
let bundleDir: string;

beforeAll(async () => {
  const bundle = await bundleFixture('tagged-workflows.ts');
  bundleDir = path.dirname(bundle.path);
  worker = await startTestWorker({
    taskQueue: uniqueTaskQueue(import.meta.url),
    workflowBundlePath: bundle.path,
  });
  client = worker.client;
});
afterAll(async () => {
  await worker?.stop();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

async function found(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of client.workflow.list({ query })) ids.push(run.workflowId);
  return ids;
}

describe('process search attributes', () => {
  it('find a process by its business facts and status, as the README’s query does, and follow its status', async () => {
    const facts = { programmeId: randomUUID(), enterpriseId: randomUUID(), providerId: randomUUID() };
    const handle = await client.workflow.start<typeof taggedBooking>('taggedBooking', {
      taskQueue: worker.taskQueue,
      workflowId: `tagged/${randomUUID()}`,
      args: [facts],
      // known from the start, before the first step runs
      typedSearchAttributes: processSearchAttributes({
        programmeId: facts.programmeId,
        enterpriseId: facts.enterpriseId,
      }),
    });
    const byStatus = (status: string) => `BookingStatus="${status}" AND ProgrammeId="${facts.programmeId}"`;

    expect(
      await until('the process found as REQUESTED', async () =>
        found(byStatus('REQUESTED')).then((ids) => ids.length && ids),
      ),
    ).toEqual([handle.workflowId]);
    await handle.signal('samplesReceived');
    expect(
      await until('the process found as SAMPLE_RECEIVED', async () =>
        found(byStatus('SAMPLE_RECEIVED')).then((ids) => ids.length && ids),
      ),
    ).toEqual([handle.workflowId]);
    expect(await found(byStatus('REQUESTED'))).toEqual([]);
    expect(await found(`ProviderId="${facts.providerId}" AND EnterpriseId="${facts.enterpriseId}"`)).toEqual([
      handle.workflowId,
    ]);

    await handle.signal('finish');
    await handle.result();
    // what was set at the start and what did not change add nothing to the history
    const upserts = (await handle.fetchHistory())
      .events!.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
      .map((e) =>
        Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!),
      );
    expect(upserts).toEqual([['ProviderId'], ['BookingStatus'], ['BookingStatus']]);
  });

  it('are registered in a namespace that lacks them, once, and a same-named attribute of another type is refused', async () => {
    const namespace = `sa-${randomUUID().slice(0, 8)}`;
    await client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const connection = client.connection;
    expect(
      await until('the new namespace to take attributes', () =>
        ensureSearchAttributes(connection, namespace).catch(() => null),
      ),
    ).toEqual(SEARCH_ATTRIBUTE_NAMES);
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of SEARCH_ATTRIBUTE_NAMES)
      expect(customAttributes[name]).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    const other = `sa-${randomUUID().slice(0, 8)}`;
    await client.workflowService.registerNamespace({
      namespace: other,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await until('the other namespace to take attributes', () =>
      connection.operatorService
        .addSearchAttributes({
          namespace: other,
          searchAttributes: { ClaimStatus: IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
        })
        .then(() => true)
        .catch(() => false),
    );
    await expect(ensureSearchAttributes(connection, other)).rejects.toThrow(
      `search attributes ClaimStatus exist in namespace ${other} with a type other than Keyword`,
    );
  });
});
