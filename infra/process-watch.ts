import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { TypedSearchAttributes } from '@temporalio/common';
// a CommonJS module whose names Node cannot list for an ESM import
import proto from '@temporalio/proto';
import type { PageCursor } from '../db/repositories/page';
import type { StuckStep, StuckStepRepository } from '../db/repositories/stuck-steps';
import { PROCESS_SEARCH_ATTRIBUTES } from '../workflows/kit/search-attributes';

/**
 * Processes that need an operator: FAILED (the run failed, timed out or was terminated, and no
 * later run of the workflow replaced it) and STUCK (a step retrying past STUCK_AFTER). Both cost
 * in proportion to what needs attention, not to the number of processes: FAILED reads Temporal's
 * visibility store for closed-and-failed runs, STUCK reads the rows the worker writes.
 */
export type AttentionStatus = 'FAILED' | 'STUCK';

export interface BusinessFacts {
  programmeId: string | null;
  enterpriseId: string | null;
  providerId: string | null;
  voucherStatus: string | null;
  bookingStatus: string | null;
  claimStatus: string | null;
}

export interface ProcessNeedingAttention extends BusinessFacts {
  status: AttentionStatus;
  workflowId: string;
  runId: string;
  workflowType: string;
  /** FAILED: when the run ended; STUCK: when the step was first scheduled */
  since: Date;
  /** the failure's message with its causes, or the step's last failure */
  reason: string;
  outcome: 'FAILED' | 'TIMED_OUT' | 'TERMINATED' | null;
  step: { activityType: string; activityId: string; attempt: number; lastFailedAt: Date } | null;
}

export interface ProcessPage<Cursor> {
  items: ProcessNeedingAttention[];
  next: Cursor | null;
}

const { HistoryEventFilterType } = proto.temporal.api.enums.v1;
const PARALLEL = 8;
const COUNT_PAGE = 1000;

/** The FAILED query: Temporal's own names for the statuses. */
function failedQuery(taskQueue: string): string {
  const statuses = ['Failed', 'TimedOut', 'Terminated'].map((s) => `ExecutionStatus = "${s}"`).join(' OR ');
  return `TaskQueue = ${JSON.stringify(taskQueue)} AND (${statuses})`;
}

function factsOf(attributes: TypedSearchAttributes): BusinessFacts {
  const get = (key: (typeof PROCESS_SEARCH_ATTRIBUTES)[keyof typeof PROCESS_SEARCH_ATTRIBUTES]) =>
    attributes.get(key) ?? null;
  return {
    programmeId: get(PROCESS_SEARCH_ATTRIBUTES.ProgrammeId),
    enterpriseId: get(PROCESS_SEARCH_ATTRIBUTES.EnterpriseId),
    providerId: get(PROCESS_SEARCH_ATTRIBUTES.ProviderId),
    voucherStatus: get(PROCESS_SEARCH_ATTRIBUTES.VoucherStatus),
    bookingStatus: get(PROCESS_SEARCH_ATTRIBUTES.BookingStatus),
    claimStatus: get(PROCESS_SEARCH_ATTRIBUTES.ClaimStatus),
  };
}

async function inBatches<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL) {
    results.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(run))));
  }
  return results;
}

type Failure = proto.temporal.api.failure.v1.IFailure;

/** "Activity task failed: booking … is SAMPLE_RECEIVED, expected DISPUTED": each cause after its effect. */
function failureChain(failure: Failure | null | undefined): string {
  const messages: string[] = [];
  for (let f = failure; f; f = f.cause) if (f.message) messages.push(f.message);
  return messages.join(': ') || 'failed without a message';
}

export function createProcessWatch(options: {
  temporal: Client;
  taskQueue: string;
  stuckSteps: Pick<StuckStepRepository, 'list' | 'clearRuns'>;
}) {
  const { temporal: client, taskQueue, stuckSteps } = options;
  const namespace = client.options.namespace;

  /** The run is the workflow's latest: a reset or a new start after the failure resolves it. */
  async function isLatestRun(info: WorkflowExecutionInfo): Promise<boolean> {
    try {
      return (await client.workflow.getHandle(info.workflowId).describe()).runId === info.runId;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async function closeReason(info: WorkflowExecutionInfo): Promise<string> {
    const { history } = await client.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution: { workflowId: info.workflowId, runId: info.runId },
      historyEventFilterType: HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    });
    const event = history?.events?.[0];
    if (event?.workflowExecutionFailedEventAttributes)
      return failureChain(event.workflowExecutionFailedEventAttributes.failure);
    if (event?.workflowExecutionTimedOutEventAttributes) return 'the run reached its execution timeout';
    const terminated = event?.workflowExecutionTerminatedEventAttributes;
    if (terminated)
      return `terminated${terminated.identity ? ` by ${terminated.identity}` : ''}: ${terminated.reason || 'no reason given'}`;
    return `closed as ${info.status.name}`;
  }

  async function failedRuns(pageSize: number, token: Uint8Array | undefined) {
    const response = await client.workflowService.listWorkflowExecutions({
      namespace,
      pageSize,
      nextPageToken: token,
      query: failedQuery(taskQueue),
    });
    const infos = await Promise.all(
      (response.executions ?? []).map((raw) =>
        executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace),
      ),
    );
    const latest = await inBatches(infos, isLatestRun);
    const next = response.nextPageToken?.length ? response.nextPageToken : null;
    return { runs: infos.filter((_, i) => latest[i]), next };
  }

  /** Still running: a row of a run that ended since is forgotten here. */
  async function liveSteps(rows: StuckStep[]) {
    const described = await inBatches(rows, async (row) => {
      try {
        const d = await client.workflow.getHandle(row.workflowId, row.runId).describe();
        return d.status.name === 'RUNNING' ? d : null;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    });
    await stuckSteps.clearRuns(rows.filter((_, i) => !described[i]));
    return rows.flatMap((row, i) => {
      const d = described[i];
      return d ? [{ row, attributes: d.typedSearchAttributes }] : [];
    });
  }

  return {
    /** A page of failed processes, newest first; it may hold fewer than `limit` once resolved runs are left out. */
    async failed(limit: number, token?: Uint8Array): Promise<ProcessPage<Uint8Array>> {
      const { runs, next } = await failedRuns(limit, token);
      const reasons = await inBatches(runs, closeReason);
      return {
        items: runs.map((info, i) => ({
          status: 'FAILED',
          workflowId: info.workflowId,
          runId: info.runId,
          workflowType: info.type,
          ...factsOf(info.typedSearchAttributes),
          since: info.closeTime ?? info.startTime,
          reason: reasons[i]!,
          outcome: info.status.name as 'FAILED' | 'TIMED_OUT' | 'TERMINATED',
          step: null,
        })),
        next,
      };
    },

    /** A page of stuck steps, the most recently stuck first. */
    async stuck(limit: number, after?: PageCursor): Promise<ProcessPage<PageCursor>> {
      const page = await stuckSteps.list(taskQueue, { limit, after });
      const live = await liveSteps(page.items);
      return {
        items: live.map(({ row, attributes }) => ({
          status: 'STUCK',
          workflowId: row.workflowId,
          runId: row.runId,
          workflowType: row.workflowType,
          ...factsOf(attributes),
          since: row.firstScheduledAt,
          reason: row.lastFailure,
          outcome: null,
          step: {
            activityType: row.activityType,
            activityId: row.activityId,
            attempt: row.attempt,
            lastFailedAt: row.lastFailedAt,
          },
        })),
        next: page.next,
      };
    },

    /** How many of each there are now, for the gauge. */
    async counts(): Promise<Record<AttentionStatus, number>> {
      let failed = 0;
      let token: Uint8Array | undefined;
      do {
        const page = await failedRuns(COUNT_PAGE, token);
        failed += page.runs.length;
        token = page.next ?? undefined;
      } while (token);
      let stuck = 0;
      let after: PageCursor | undefined;
      do {
        const page = await stuckSteps.list(taskQueue, { limit: 100, after });
        stuck += (await liveSteps(page.items)).length;
        after = page.next ?? undefined;
      } while (after);
      return { FAILED: failed, STUCK: stuck };
    },
  };
}

export type ProcessWatch = ReturnType<typeof createProcessWatch>;
