import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from './search-attributes';

/** gRPC status codes */
const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const codeOf = (error: unknown) => (isGrpcServiceError(error) ? Number(error.code) : null);

/**
 * Registers the namespace on a server that lacks it (a dev server makes its own; a production server
 * starts with none). Answers whether it was registered now. Retention counts from a run's close.
 */
export async function ensureNamespace(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  retentionDays: number,
): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (error) {
    if (codeOf(error) !== NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
    return true;
  } catch (error) {
    // another instance of the setup registered it meanwhile
    if (codeOf(error) === ALREADY_EXISTS) return false;
    throw error;
  }
}

/**
 * The namespace and the process search attributes, ready for workers and APIs: a new namespace
 * reaches the server's caches a few seconds after it is registered, so this waits until a
 * visibility query in it answers.
 */
export async function prepareNamespace(
  address: string,
  namespace: string,
  options: { retentionDays: number; timeoutMs: number },
): Promise<{ namespaceRegistered: boolean; searchAttributesAdded: string[] }> {
  const deadline = Date.now() + options.timeoutMs;
  const connection = await retrying(deadline, () => Connection.connect({ address, connectTimeout: 2000 }));
  try {
    const namespaceRegistered = await retrying(deadline, () =>
      ensureNamespace(connection, namespace, options.retentionDays),
    );
    const client = new Client({ connection, namespace });
    await retrying(deadline, () => client.workflow.count());
    const searchAttributesAdded = await retrying(deadline, () =>
      ensureSearchAttributes(connection, namespace),
    );
    return { namespaceRegistered, searchAttributesAdded };
  } finally {
    await connection.close();
  }
}

/** A server that is still starting refuses calls for a while: try again until the deadline. */
async function retrying<T>(deadline: number, attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
