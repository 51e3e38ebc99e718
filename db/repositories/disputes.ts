import type { DisputeResolution } from '../../domain/booking';
import type { Db } from '../client';

export type DisputeStatus = 'OPEN' | 'RESOLVED';

export interface DisputeRecord {
  id: string;
  bookingId: string;
  reason: string;
  status: DisputeStatus;
  resolution: DisputeResolution | null;
  note: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

const fields = {
  id: true,
  bookingId: true,
  reason: true,
  status: true,
  resolution: true,
  note: true,
  createdAt: true,
  resolvedAt: true,
} as const;

export function createDisputeRepository(db: Db) {
  return {
    findById(id: string): Promise<DisputeRecord | null> {
      return db.dispute.findUnique({ where: { id }, select: fields });
    },

    /** Open disputes first, each kind oldest first. */
    list(filter: { status?: DisputeStatus }, limit: number): Promise<DisputeRecord[]> {
      return db.dispute.findMany({
        where: { status: filter.status },
        orderBy: [{ status: 'asc' }, { createdAt: 'asc' }],
        take: limit,
        select: fields,
      });
    },
  };
}

export type DisputeRepository = ReturnType<typeof createDisputeRepository>;
