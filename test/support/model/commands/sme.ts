import fc from 'fast-check';
import {
  absorbBooking,
  refreshApplication,
  refreshLab,
  refreshVoucher,
  type ApplicationView,
  type BookingView,
} from '../reads';
import type { ApplicationModel, LabModel, VoucherModel } from '../state';
import { isTransient } from '../http';
import { bookingAction } from './booking-action';
import { aim, choose, command, finds, judge, said } from './command';

/** How long before a voucher's end or a lab's lapse the model still expects a booking to fit. */
const MARGIN_MS = 30_000;

const ALL_OPEN = ['REQUESTED', 'CONFIRMED', 'SAMPLE_RECEIVED', 'REPORTED', 'DISPUTED', 'ACCEPTED'];

/** The SME applies to a programme for a voucher. */
const applies = fc
  .record({ sme: fc.nat(99), programme: fc.nat(99), amountFen: fc.constantFrom(100_000, 500_000, 1_500_000) })
  .map(({ sme, programme, amountFen }) =>
    command(
      'SME applies',
      (m) => m.smes.length > 0 && m.programmes.length > 0,
      async (m, w) => {
        const s = m.smes[sme % m.smes.length]!;
        const p = m.programmes[programme % m.programmes.length]!;
        const res = await w.call<ApplicationView & { details?: { applicationId?: string } }>(
          'POST',
          '/api/v1/applications',
          {
            token: w.token(s.key),
            body: {
              programmeId: p.id,
              requestedAmountFen: amountFen,
              purpose: '新产品出口前的型式试验',
              demand: w.demand(2),
            },
          },
        );
        const id =
          res?.status === 201
            ? res.body.id
            : res?.code === 'NOT_ELIGIBLE'
              ? res.body.details?.applicationId
              : undefined;
        if (id) {
          m.applications.push({
            id,
            programmeKey: p.key,
            smeKey: s.key,
            status: res?.status === 201 ? res.body.status : 'REJECTED',
            voucherId: null,
            requestedAmountFen: amountFen,
          });
          await refreshApplication(w, id);
        }
        return `${s.key} applies to programme ${p.key} for ${amountFen} fen → ${said(res, id ? `application ${id.slice(0, 8)}` : null)}`;
      },
    ),
  );

const infoRequested = (a: ApplicationModel) => a.status === 'INFO_REQUESTED';

/** The SME sends the information the reviewer asked for. */
const resubmits = aim.map((a) =>
  command(
    'SME resubmits',
    (m) => finds(m.applications, infoRequested, a),
    async (m, w) => {
      const { item: app, suits } = choose(m.applications, infoRequested, a);
      const before = app.status;
      const res = await w.call<ApplicationView>('POST', `/api/v1/applications/${app.id}/resubmit`, {
        token: w.token(app.smeKey),
        body: { note: '已补充检测需求与样品说明' },
      });
      await judge(w, `${app.smeKey} resubmits application ${app.id} (${before})`, res, {
        allowed: suits,
        becomes: 'UNDER_REVIEW',
        actual: res?.status === 200 ? res.body.status : null,
        mayMeet: ['NOT_ELIGIBLE'],
        stillAllowed: async () => (await refreshApplication(w, app.id))?.status === 'INFO_REQUESTED',
      });
      await refreshApplication(w, app.id);
      return `${app.smeKey} resubmits application ${app.id.slice(0, 8)} (${before}) → ${said(res, res?.status === 200 ? res.body.status : null)}`;
    },
  ),
);

const inWords = (ms: number) =>
  ms > 86_400_000 ? `${Math.round(ms / 86_400_000)} d` : `${Math.round(ms / 1000)} s`;

const funds = (v: VoucherModel) => v.status === 'ACTIVE' && v.balanceFen > 0 && !v.bookingRefused;
const listed = (l: LabModel) => l.status === 'LISTED';

const fits = (v: VoucherModel, lab: LabModel, now: number) =>
  v.status === 'ACTIVE' &&
  v.balanceFen > 0 &&
  v.validUntil - now > MARGIN_MS &&
  lab.status === 'LISTED' &&
  lab.lapseAt - now > MARGIN_MS;

/**
 * The SME books a lab under its voucher. When the voucher is active with money left and the lab
 * listed, the model expects the booking to be made: the labs' capacity is ample and their services
 * cover the demand.
 */
const books = fc
  .record({ voucher: aim, lab: aim, samples: fc.integer({ min: 1, max: 3 }) })
  .map(({ voucher, lab, samples }) =>
    command(
      'SME books',
      (m) => finds(m.vouchers, funds, voucher) && finds(m.labs, listed, lab),
      async (m, w) => {
        const now = Date.now();
        const v = choose(m.vouchers, funds, voucher).item;
        const l = choose(m.labs, listed, lab).item;
        const expected = fits(v, l, now);
        const seen = `${l.key} (${l.status}) with ${samples} sample(s) under voucher ${v.id.slice(0, 8)} (${v.status}, ${v.balanceFen} fen left, ends in ${inWords(v.validUntil - now)})`;
        const res = await w.call<BookingView>('POST', '/api/v1/bookings', {
          token: w.token(v.smeKey),
          body: { voucherId: v.id, providerId: l.providerId, demand: w.demand(samples) },
        });
        if (res?.status === 201) absorbBooking(w, res.body, { labKey: l.key });
        await judge(w, `${v.smeKey} books ${l.key} under voucher ${v.id}`, res, {
          allowed: expected,
          becomes: 'REQUESTED',
          actual: res?.status === 201 ? res.body.status : null,
          kind: 'booking-refused-to-a-listed-lab',
          stillAllowed: async () => {
            await refreshVoucher(w, v.id);
            await refreshLab(w, l.key);
            return fits(v, l, Date.now());
          },
        });
        // judged once; later bookings aim at other vouchers
        if (expected && res && res.status >= 400 && !isTransient(res.code)) v.bookingRefused = true;
        await refreshVoucher(w, v.id);
        return `${v.smeKey} books ${seen} → ${said(res, res?.status === 201 ? `booking ${res.body.id.slice(0, 8)}` : null)}`;
      },
    ),
  );

const cancels = aim.map((a) =>
  bookingAction(
    {
      title: 'cancels',
      by: 'sme',
      path: 'cancel',
      allowedIn: ['REQUESTED', 'CONFIRMED'],
      body: () => ({ reason: '项目计划调整，取消本次检测' }),
      becomes: 'CANCELLED',
    },
    a,
  ),
);

const accepts = aim.map((a) =>
  bookingAction(
    {
      title: 'accepts the report of',
      by: 'sme',
      path: 'accept',
      allowedIn: ['REPORTED'],
      body: () => ({}),
      becomes: 'ACCEPTED',
    },
    a,
  ),
);

const disputes = aim.map((a) =>
  bookingAction(
    {
      title: 'disputes the report of',
      by: 'sme',
      path: 'dispute',
      allowedIn: ['REPORTED'],
      body: () => ({ reason: '静电放电试验等级与委托不符' }),
      becomes: 'DISPUTED',
    },
    a,
  ),
);

/** The co-payment is recorded, by the SME or by the lab that received it. */
const paysCopayment = fc
  .record({ target: aim, by: fc.constantFrom('sme' as const, 'lab' as const) })
  .map(({ target, by }) =>
    bookingAction(
      {
        title: 'records the co-payment of',
        by,
        path: 'copayment',
        allowedIn: ALL_OPEN,
        also: (b) => !b.copaymentRecorded,
        body: (b) => ({ reference: `ICBC-${b.id.slice(0, 8)}`, paidAt: new Date().toISOString() }),
        becomes: null,
      },
      target,
    ),
  );

export const smeCommands = [
  { weight: 3, arbitrary: applies },
  { weight: 2, arbitrary: resubmits },
  { weight: 4, arbitrary: books },
  { weight: 1, arbitrary: cancels },
  { weight: 8, arbitrary: accepts },
  { weight: 2, arbitrary: disputes },
  { weight: 5, arbitrary: paysCopayment },
];
