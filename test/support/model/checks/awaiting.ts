import type { ApplicationView, Awaiting, BookingView, ClaimView } from '../reads';
import { bookingTerminal, type BookingModel } from '../state';
import type { World } from '../world';

const PARTIES = ['SME', 'PROVIDER', 'ADMIN', 'SYSTEM'];

/** Whom a booking waits for, where the policy leaves no doubt. */
function bookingParty(b: BookingModel): string | undefined {
  const byStatus: Record<string, string> = {
    REQUESTED: 'PROVIDER',
    SAMPLE_RECEIVED: 'PROVIDER',
    REPORTED: 'SME',
    DISPUTED: 'ADMIN',
  };
  if (byStatus[b.status]) return byStatus[b.status];
  if (b.status === 'ACCEPTED' && b.claimStatus === 'PENDING_REVIEW') return 'ADMIN';
  if (b.status === 'ACCEPTED' && b.claimStatus === 'APPROVED') return 'SYSTEM';
  return undefined;
}

/**
 * Every item is over, or waits for a named party to do a named thing by a date: `awaiting` is
 * null exactly when the item is terminal.
 */
export function checkAwaiting(
  w: World,
  views: { bookings: BookingView[]; applications: ApplicationView[]; claims: ClaimView[] },
) {
  const one = (item: string, view: { awaiting?: Awaiting | null }, terminal: boolean, party?: string) => {
    if (!('awaiting' in view)) return w.record('awaiting-missing', `${item} has no \`awaiting\``);
    const awaiting = view.awaiting;
    if (awaiting === null || awaiting === undefined) {
      if (!terminal) w.record('awaiting-nobody', `${item} is not over but awaits nobody`);
      return;
    }
    if (terminal)
      return w.record('awaiting-when-over', `${item} is over but awaits ${JSON.stringify(awaiting)}`);
    if (!PARTIES.includes(awaiting.party) || !awaiting.action || Number.isNaN(Date.parse(awaiting.dueAt))) {
      return w.record('awaiting-malformed', `${item} awaits ${JSON.stringify(awaiting)}`);
    }
    if (party && awaiting.party !== party) {
      w.record(
        'awaiting-wrong-party',
        `${item} awaits ${awaiting.party} (${awaiting.action}), expected ${party}`,
      );
    }
  };
  for (const view of views.bookings) {
    const b = w.model.bookings.find((x) => x.id === view.id)!;
    one(
      `booking ${b.id} (${b.status}${b.claimStatus ? `, claim ${b.claimStatus}` : ''})`,
      view,
      bookingTerminal(b),
      bookingParty(b),
    );
  }
  for (const view of views.applications) {
    const voucher = w.model.vouchers.find((v) => v.id === view.voucherId);
    // a decided application awaits nothing: an approved one lives on as its voucher
    const terminal = view.status === 'REJECTED' || view.status === 'APPROVED';
    const party =
      view.status === 'UNDER_REVIEW' ? 'ADMIN' : view.status === 'INFO_REQUESTED' ? 'SME' : undefined;
    one(
      `application ${view.id} (${view.status}${voucher ? `, voucher ${voucher.status}` : ''})`,
      view,
      terminal,
      party,
    );
  }
  for (const view of views.claims) {
    const party =
      view.status === 'PENDING_REVIEW' ? 'ADMIN' : view.status === 'APPROVED' ? 'SYSTEM' : undefined;
    one(
      `claim ${view.id} (${view.status})`,
      view,
      view.status === 'REJECTED' || view.status === 'PAID',
      party,
    );
  }
}
