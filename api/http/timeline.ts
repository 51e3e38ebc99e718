import { z } from 'zod';
import type { ChainedAuditEntry } from '../../domain/audit';
import type { ApiDeps } from '../deps';

export const TimelineEntrySchema = z
  .object({
    at: z.iso.datetime(),
    action: z.string().meta({ example: 'APPLICATION_APPROVED' }),
    entityType: z.string(),
    actor: z.object({ role: z.string(), userId: z.string().nullable() }),
    details: z.unknown().meta({ description: 'what changed, as recorded in the audit log' }),
  })
  .meta({ id: 'TimelineEntry', description: 'one step of a process, from the audit log' });

export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** The steps of one or more items, in the order they happened. */
export async function timelineOf(
  deps: ApiDeps,
  entities: { entityType: string; entityId: string }[],
): Promise<TimelineEntry[]> {
  return timelineFrom(await deps.repos.audit.timeline(entities));
}

/**
 * Steps read apart (an item's, then its claim's or voucher's once there is one), in the order they
 * happened: their places in the audit chain.
 */
export function timelineFrom(...parts: readonly ChainedAuditEntry[][]): TimelineEntry[] {
  const entries = parts.flat().sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  return entries.map((entry) => ({
    at: entry.at,
    action: entry.action,
    entityType: entry.entityType,
    actor: { role: entry.actor.role, userId: entry.actor.userId },
    details: entry.after,
  }));
}
