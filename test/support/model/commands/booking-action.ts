import type fc from 'fast-check';
import { refreshBooking, refreshVoucher, absorbBooking, type BookingView } from '../reads';
import type { BookingModel, Model } from '../state';
import type { World } from '../world';
import { choose, command, finds, judge, said, type Aim } from './command';

/** One step of a booking taken by its SME or its lab, through `POST /bookings/{id}/<path>`. */
export interface BookingActionSpec {
  /** how the step reads: "lab confirms" */
  title: string;
  by: 'sme' | 'lab';
  path: string;
  /** the statuses in which the booking's process takes the step */
  allowedIn: string[];
  /** a further condition the step needs (e.g. no co-payment recorded yet) */
  also?: (b: BookingModel) => boolean;
  body: (b: BookingModel, w: World) => object;
  /** the status a success leaves the booking in; null when the status does not change */
  becomes: string | null;
}

export const bookingActor = (b: BookingModel, by: 'sme' | 'lab') => (by === 'sme' ? b.smeKey : b.labKey);

export function bookingAction(spec: BookingActionSpec, a: Aim): fc.AsyncCommand<Model, World> {
  const suits = (b: BookingModel) =>
    !b.processClosed && spec.allowedIn.includes(b.status) && (spec.also?.(b) ?? true);
  return command(
    spec.title,
    (m) => finds(m.bookings, suits, a),
    async (m, w) => {
      const { item: b, suits: allowed } = choose(m.bookings, suits, a);
      const who = bookingActor(b, spec.by);
      const before = b.status;
      const res = await w.call<BookingView>('POST', `/api/v1/bookings/${b.id}/${spec.path}`, {
        token: w.token(who),
        body: spec.body(b, w),
      });
      if (res && res.status < 300) {
        absorbBooking(w, res.body);
        if (spec.path === 'confirm') b.confirmedAt = Date.now();
      }
      await judge(w, `${who} ${spec.title} on booking ${b.id} (${before})`, res, {
        allowed,
        becomes: spec.becomes,
        actual: res && res.status < 300 ? res.body.status : null,
        stillAllowed: async () => {
          await refreshBooking(w, b.id);
          return suits(b);
        },
      });
      // judged once; later steps aim elsewhere
      if (res?.code === 'PROCESS_CLOSED') b.processClosed = true;
      await refreshBooking(w, b.id);
      await refreshVoucher(w, b.voucherId);
      return `${who} ${spec.title} booking ${b.id.slice(0, 8)} (${before}${allowed ? '' : ', out of order'}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
    },
  );
}
