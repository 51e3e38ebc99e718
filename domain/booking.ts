import type { IsoDate } from './calendar';
import type { ServiceCategory } from './catalog';
import type { Fen } from './money';

export const BOOKING_STATUSES = [
  'REQUESTED',
  'CONFIRMED',
  'DECLINED',
  'CONFIRMATION_EXPIRED',
  'CANCELLED',
  'SAMPLE_RECEIVED',
  'REPORTED',
  'DISPUTED',
  'ACCEPTED',
  'SETTLED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses in which a booking still holds capacity and committed money. */
export const OPEN_BOOKING_STATUSES: BookingStatus[] = [
  'REQUESTED',
  'CONFIRMED',
  'SAMPLE_RECEIVED',
  'REPORTED',
  'DISPUTED',
];

/** The SME may cancel until the samples are with the provider. */
export const CANCELLABLE: BookingStatus[] = ['REQUESTED', 'CONFIRMED'];

export const REPORT_CONCLUSIONS = ['PASS', 'FAIL', 'INFO'] as const;
export type ReportConclusion = (typeof REPORT_CONCLUSIONS)[number];

export const DISPUTE_RESOLUTIONS = ['UPHOLD', 'RETEST', 'CANCEL_REFUND'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

/** One service of the provider a booking uses, with the catalog terms at booking time. */
export interface BookingLine {
  serviceId: string;
  serviceName: string;
  category: ServiceCategory;
  standards: string[];
  unitPriceFen: Fen;
  turnaroundDays: number;
  /** the day this service takes the samples (its capacity is held on that day) */
  startDate: IsoDate;
  completionDate: IsoDate;
}

export interface BookingRecord {
  id: string;
  voucherId: string;
  programmeId: string;
  enterpriseId: string;
  providerId: string;
  lines: BookingLine[];
  sampleCount: number;
  standards: string[];
  catalogPriceFen: Fen;
  quotedPriceFen: Fen;
  subsidyFen: Fen;
  copaymentFen: Fen;
  scheduledDate: IsoDate;
  status: BookingStatus;
  statusReason: string | null;
  confirmBy: Date | null;
  reportDueAt: Date | null;
  reportedLate: boolean | null;
  reportSha256: string | null;
  reportConclusion: ReportConclusion | null;
  reportUploadedAt: Date | null;
  copaymentReference: string | null;
  copaymentPaidAt: Date | null;
  workflowId: string;
  createdBy: string;
  createdAt: Date;
  confirmedAt: Date | null;
  sampleReceivedAt: Date | null;
  acceptedAt: Date | null;
}

export const bookingWorkflowId = (bookingId: string) => `booking/${bookingId}`;
export const settlementWorkflowId = (bookingId: string) => `settlement/${bookingId}`;

/** The holds of a booking, one per service, named so that a retried step finds its own. */
export const holdIdOf = (bookingId: string, serviceId: string, startDate: IsoDate) =>
  `${bookingId}/${serviceId}/${startDate}`;

/** Catalog price of a job: each line's unit price for every sample. */
export function catalogPrice(lines: Pick<BookingLine, 'unitPriceFen'>[], sampleCount: number): Fen {
  return lines.reduce((sum, line) => sum + line.unitPriceFen * sampleCount, 0);
}

/** The longest turnaround of the lines: the report is due that many days after the samples arrive. */
export function turnaroundOf(lines: Pick<BookingLine, 'turnaroundDays'>[]): number {
  return lines.reduce((max, line) => Math.max(max, line.turnaroundDays), 0);
}
