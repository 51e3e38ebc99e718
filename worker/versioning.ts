import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import type { Env } from '../config/env';

/** Which version of the deployment a worker is, and whether it takes part in versioned routing. */
export interface WorkerVersioning {
  deploymentName: string;
  /** when absent: the package version and a hash of the workflow bundle */
  buildId?: string;
  /** false: an unversioned worker, which takes every run; its processes declare no versioning behaviour */
  enabled: boolean;
}

export function versioningFromEnv(
  env: Pick<Env, 'WORKER_VERSIONING' | 'TEMPORAL_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>,
): WorkerVersioning {
  return {
    deploymentName: env.TEMPORAL_DEPLOYMENT_NAME,
    buildId: env.WORKER_BUILD_ID,
    enabled: env.WORKER_VERSIONING === 'true',
  };
}

export async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The package version says which release; the hash tells apart two builds of it with other workflow code. */
export function buildIdOf(version: string, workflowBundleCode: string): string {
  return `${version}-${createHash('sha256').update(workflowBundleCode).digest('hex').slice(0, 12)}`;
}

export function deploymentVersion(versioning: WorkerVersioning, buildId: string): WorkerDeploymentVersion {
  return { deploymentName: versioning.deploymentName, buildId };
}

/**
 * A versioned worker's runs default to AUTO_UPGRADE: the long processes (a voucher's 180 days)
 * move to each new build, which keeps their histories replaying through `patched()`. Short
 * processes declare PINNED beside their definition and finish on the build that started them.
 */
export function deploymentOptions(
  versioning: WorkerVersioning,
  buildId: string,
): WorkerDeploymentOptions | undefined {
  // an unversioned worker names no deployment: its processes then see none and declare no behaviour
  // (Temporal refuses a versioning behaviour from a worker that is not versioned)
  if (!versioning.enabled) return undefined;
  const version = deploymentVersion(versioning, buildId);
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
