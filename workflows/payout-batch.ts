import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import { activities } from './activities';
import { versioningBehavior } from './kit/steps';
import { tagProcess } from './kit/search-attributes';

/**
 * One payout run of a programme, started by its Temporal Schedule (docs/processes.md, "Payout batch"): every
 * approved claim not yet paid, one transfer per provider, ledger entries, a remittance e-mail.
 * The batch is keyed by the run, the transfers by batch and provider, the ledger entries by claim:
 * whatever is retried, each claim is paid once.
 */
export async function payoutBatch(input: {
  programmeId: string;
}): Promise<{ batchId: string; transfers: number; totalFen: number }> {
  tagProcess({ programmeId: input.programmeId });
  const { batchId, transfers } = await activities.openPayoutBatch({
    programmeId: input.programmeId,
    runKey: workflowInfo().workflowId,
  });
  let totalFen = 0;
  for (const transfer of transfers) {
    const { reference, remittance } = await activities.executeTransfer({ transferId: transfer.transferId });
    totalFen += transfer.amountFen;
    await activities.sendNotification({
      eventKey: `payout/${transfer.transferId}/remittance`,
      template: 'payoutRemittance',
      data: { batchId, reference, amountFen: transfer.amountFen, lines: remittance },
      to: [{ providerId: transfer.providerId }],
    });
  }
  await activities.completePayoutBatch({ batchId });
  return { batchId, transfers: transfers.length, totalFen };
}

// short: a batch finishes on the build it started on
setWorkflowOptions(versioningBehavior('PINNED'), payoutBatch);
