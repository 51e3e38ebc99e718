import type { ApplicationStatus, BookingModel, ClaimStatus, LabStatus, VoucherStatus } from './state';
import type { World } from './world';

/** What the model reads of the API's views; `awaiting` is what the views promise to carry. */
export interface Awaiting {
  party: string;
  action: string;
  dueAt: string;
}

export interface BookingView {
  id: string;
  voucherId: string;
  status: string;
  statusReason: string | null;
  subsidyFen: number;
  copaymentFen: number;
  catalogPriceFen: number;
  quotedPriceFen: number;
  createdAt: string;
  report: { uploadedAt: string } | null;
  copayment: { reference: string } | null;
  openDisputeId: string | null;
  claimId: string | null;
  awaiting?: Awaiting | null;
}

export interface ClaimView {
  id: string;
  bookingId: string;
  status: ClaimStatus;
  amountFen: number;
  awaiting?: Awaiting | null;
}

export interface ApplicationView {
  id: string;
  status: ApplicationStatus;
  voucherId: string | null;
  requestedAmountFen: number;
  awaiting?: Awaiting | null;
}

export interface VoucherView {
  id: string;
  applicationId: string;
  status: VoucherStatus;
  balanceFen: number;
  validUntil: string;
}

export interface ProviderView {
  id: string;
  status: LabStatus;
  pendingVerification?: { submissionId: string } | null;
}

/** Reads one item as an administrator sees it; null (and a violation) when the read itself fails. */
async function read<T>(w: World, path: string): Promise<T | null> {
  const res = await w.call<T>('GET', path, { token: w.adminToken });
  if (!res) return null;
  if (res.status !== 200) {
    w.record('read-failed', `GET ${path} answered ${res.status} ${res.code ?? ''}`);
    return null;
  }
  return res.body;
}

/** Takes a booking view into the model (the booking is added if the model did not know it). */
export function absorbBooking(w: World, view: BookingView, known?: Partial<BookingModel>): BookingModel {
  let booking = w.model.bookings.find((b) => b.id === view.id);
  if (!booking) {
    const voucher = w.model.vouchers.find((v) => v.id === view.voucherId)!;
    booking = {
      id: view.id,
      voucherId: view.voucherId,
      programmeKey: voucher.programmeKey,
      smeKey: voucher.smeKey,
      labKey: known?.labKey ?? '',
      status: view.status,
      statusReason: view.statusReason,
      subsidyFen: view.subsidyFen,
      copaymentFen: view.copaymentFen,
      catalogPriceFen: view.catalogPriceFen,
      copaymentRecorded: false,
      createdAt: Date.parse(view.createdAt),
      confirmedAt: null,
      reportedAt: null,
      disputeId: null,
      claimId: null,
      claimStatus: null,
      processClosed: false,
    };
    w.model.bookings.push(booking);
  }
  booking.status = view.status;
  booking.statusReason = view.statusReason;
  booking.subsidyFen = view.subsidyFen;
  booking.copaymentFen = view.copaymentFen;
  booking.copaymentRecorded = view.copayment !== null;
  booking.reportedAt = view.report ? Date.parse(view.report.uploadedAt) : null;
  booking.disputeId = view.openDisputeId ?? booking.disputeId;
  booking.claimId = view.claimId;
  return booking;
}

export async function refreshBooking(w: World, id: string): Promise<BookingView | null> {
  const view = await read<BookingView>(w, `/api/v1/bookings/${id}`);
  if (!view) return null;
  const booking = absorbBooking(w, view);
  if (booking.claimId) {
    const claim = await read<ClaimView>(w, `/api/v1/claims/${booking.claimId}`);
    if (claim) booking.claimStatus = claim.status;
  }
  return view;
}

export async function refreshClaim(w: World, id: string): Promise<ClaimView | null> {
  const view = await read<ClaimView>(w, `/api/v1/claims/${id}`);
  const booking = view && w.model.bookings.find((b) => b.id === view.bookingId);
  if (booking) booking.claimStatus = view.status;
  return view;
}

export async function refreshVoucher(w: World, id: string, applicationId?: string) {
  const view = await read<VoucherView>(w, `/api/v1/vouchers/${id}`);
  if (!view) return null;
  let voucher = w.model.vouchers.find((v) => v.id === id);
  if (!voucher) {
    const application = w.model.applications.find((a) => a.id === (applicationId ?? view.applicationId))!;
    voucher = {
      id,
      applicationId: application.id,
      programmeKey: application.programmeKey,
      smeKey: application.smeKey,
      status: view.status,
      balanceFen: view.balanceFen,
      validUntil: Date.parse(view.validUntil),
      openAtRevocation: null,
      bookingRefused: false,
    };
    w.model.vouchers.push(voucher);
  }
  voucher.status = view.status;
  voucher.balanceFen = view.balanceFen;
  voucher.validUntil = Date.parse(view.validUntil);
  return view;
}

export async function refreshApplication(w: World, id: string): Promise<ApplicationView | null> {
  const view = await read<ApplicationView>(w, `/api/v1/applications/${id}`);
  const application = w.model.applications.find((a) => a.id === id);
  if (!view || !application) return view;
  application.status = view.status;
  application.voucherId = view.voucherId;
  if (view.voucherId) await refreshVoucher(w, view.voucherId, id);
  return view;
}

export async function refreshLab(w: World, key: string): Promise<ProviderView | null> {
  const lab = w.model.labs.find((l) => l.key === key)!;
  const view = await read<ProviderView>(w, `/api/v1/providers/${lab.providerId}`);
  if (!view) return null;
  lab.status = view.status;
  lab.pending = Boolean(view.pendingVerification);
  return view;
}

/** Reads every item of the sequence again, after time passed. */
export async function refreshAll(w: World) {
  const bookings = [];
  for (const b of w.model.bookings) bookings.push(await refreshBooking(w, b.id));
  const applications = [];
  for (const a of w.model.applications) applications.push(await refreshApplication(w, a.id));
  const claims = [];
  for (const b of w.model.bookings) if (b.claimId) claims.push(await refreshClaim(w, b.claimId));
  for (const l of w.model.labs) await refreshLab(w, l.key);
  const present = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);
  return { bookings: present(bookings), applications: present(applications), claims: present(claims) };
}
