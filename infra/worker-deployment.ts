import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';

const POLL_MS = 500;
const FAILED_PRECONDITION: number = 9;
/** temporal.api.enums.v1.RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS */
const ROUTING_IN_PROGRESS = 1;

/** The build ids Temporal knows for the deployment, and the current one; null before any worker polled. */
async function describe(client: Client, deploymentName: string) {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName,
    });
    return {
      buildIds: (workerDeploymentInfo?.versionSummaries ?? []).map((v) => v.deploymentVersion?.buildId),
      current: workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? null,
      // a new current version reaches the task queues' routing a moment after it is set
      propagated: Number(workerDeploymentInfo?.routingConfigUpdateState ?? 0) !== ROUTING_IN_PROGRESS,
    };
  } catch {
    // NOT_FOUND until the deployment's first worker has polled
    return null;
  }
}

/** Waits until a worker of the version has polled, so that Temporal knows the version. */
export async function waitForVersion(
  client: Client,
  version: WorkerDeploymentVersion,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const known = await describe(client, version.deploymentName);
    if (known?.buildIds.includes(version.buildId)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `no worker of ${version.deploymentName} build ${version.buildId} polled within ${timeoutMs / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Makes the version current: new runs start on it, and AUTO_UPGRADE runs move to it at their next
 * step; PINNED runs stay on the version they started on, whose workers must run until it drains.
 * Answers the build id that was current before (null: none, or unversioned workers).
 */
export async function makeVersionCurrent(
  client: Client,
  version: WorkerDeploymentVersion,
  identity: string,
  timeoutMs = 60_000,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  await waitForVersion(client, version, timeoutMs);
  const before = (await describe(client, version.deploymentName))?.current ?? null;
  if (before === version.buildId) return before;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity,
      });
      // answer once every task queue routes to it, so that the next step of an AUTO_UPGRADE run does
      for (;;) {
        const now = await describe(client, version.deploymentName);
        if (now?.current === version.buildId && now.propagated) return before;
        if (Date.now() > deadline) throw new Error(`build ${version.buildId} did not become current in time`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (error) {
      // Temporal refuses while the new build does not yet poll every task queue the current one does
      // (each poller registers on its first poll); a build that never will fails with Temporal's reason
      const code: number | null = isGrpcServiceError(error) ? error.code : null;
      if (code !== FAILED_PRECONDITION || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
