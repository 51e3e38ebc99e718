import type { DisputeResolution } from '../../domain/booking';
import type { Db } from '../client';
import type { Prisma } from '../generated/client';

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
  /** the disputed booking's facts an administrator sorts and filters by */
  programmeId: string;
  enterpriseName: string;
  providerName: string;
  /** when the booking's wait for a resolution escalates, while the dispute is open */
  dueAt: Date | null;
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
  booking: {
    select: {
      programmeId: true,
      dueAt: true,
      status: true,
      enterprise: { select: { name: true } },
      provider: { select: { name: true } },
    },
  },
} as const;

type Row = Prisma.DisputeGetPayload<{ select: typeof fields }>;

function toDispute({ booking, ...row }: Row): DisputeRecord {
  return {
    ...row,
    programmeId: booking.programmeId,
    enterpriseName: booking.enterprise.name,
    providerName: booking.provider.name,
    dueAt: row.status === 'OPEN' && booking.status === 'DISPUTED' ? booking.dueAt : null,
  };
}

export function createDisputeRepository(db: Db) {
  return {
    async findById(id: string): Promise<DisputeRecord | null> {
      const row = await db.dispute.findUnique({ where: { id }, select: fields });
      return row && toDispute(row);
    },

    /** Open disputes first, each kind oldest first. */
    async list(
      filter: { status?: DisputeStatus; programmeId?: string },
      limit: number,
    ): Promise<DisputeRecord[]> {
      const rows = await db.dispute.findMany({
        where: {
          status: filter.status,
          ...(filter.programmeId ? { booking: { programmeId: filter.programmeId } } : {}),
        },
        orderBy: [{ status: 'asc' }, { createdAt: 'asc' }],
        take: limit,
        select: fields,
      });
      return rows.map(toDispute);
    },
  };
}

export type DisputeRepository = ReturnType<typeof createDisputeRepository>;
