import fc from 'fast-check';
import { addDays, localDate } from '../../../../domain/calendar';
import { registrationBody, type ServiceBody } from '../../provider-fixtures';
import { pdfReport } from '../../providers';
import { refreshLab, type ProviderView } from '../reads';
import type { BookingModel, LabModel } from '../state';
import { STANDARDS } from '../world';
import { bookingAction } from './booking-action';
import { aim, choose, command, finds, judge, said } from './command';

/** Labs registered through the API in one sequence, at most: each brings its onboarding process. */
const MAX_REGISTERED_LABS = 2;

const quoteOf = (b: BookingModel, quote: 'catalog' | 'lower' | 'higher') =>
  quote === 'catalog'
    ? b.catalogPriceFen
    : quote === 'lower'
      ? Math.max(1, Math.floor(b.catalogPriceFen * 0.8))
      : Math.ceil(b.catalogPriceFen * 1.2);

/** The lab confirms with its quote: the catalog price, a discount, or more (flagged at the claim). */
const confirms = fc
  .record({ target: aim, quote: fc.constantFrom('catalog' as const, 'lower' as const, 'higher' as const) })
  .map(({ target, quote }) =>
    bookingAction(
      {
        title: `confirms (${quote} quote)`,
        by: 'lab',
        path: 'confirm',
        allowedIn: ['REQUESTED'],
        body: (b) => ({ quotedPriceFen: quoteOf(b, quote) }),
        becomes: 'CONFIRMED',
      },
      target,
    ),
  );

const declines = aim.map((a) =>
  bookingAction(
    {
      title: 'declines',
      by: 'lab',
      path: 'decline',
      allowedIn: ['REQUESTED'],
      body: () => ({ reason: '设备检修，无法按期安排' }),
      becomes: 'DECLINED',
    },
    a,
  ),
);

const receivesSamples = aim.map((a) =>
  bookingAction(
    {
      title: 'receives the samples of',
      by: 'lab',
      path: 'sample-received',
      allowedIn: ['CONFIRMED'],
      body: () => ({}),
      becomes: 'SAMPLE_RECEIVED',
    },
    a,
  ),
);

/** The lab uploads its report, a real PDF whose content is unique to the booking and round. */
const reports = fc
  .record({ target: aim, conclusion: fc.constantFrom('PASS', 'FAIL', 'INFO') })
  .map(({ target, conclusion }) =>
    bookingAction(
      {
        title: `reports ${conclusion} for`,
        by: 'lab',
        path: 'report',
        allowedIn: ['SAMPLE_RECEIVED'],
        body: (b) => ({
          conclusion,
          fileName: 'report.pdf',
          contentBase64: pdfReport(`${conclusion} ${b.id} ${Date.now()}`),
        }),
        becomes: 'REPORTED',
      },
      target,
    ),
  );

const SERVICE: ServiceBody = {
  name: '环境与静电放电抗扰度试验',
  category: 'TESTING',
  standards: STANDARDS,
  unitPriceFen: 40_000,
  turnaroundDays: 1,
  dailyCapacity: 500,
  inScope: true,
};

const instant = (at: number) => new Date(at).toISOString().replace('Z', '+00:00');

/**
 * A new lab registers with its accreditations and catalog, and waits for verification. Some
 * accreditations lapse within the sequence, so that the onboarding process delists the lab.
 */
const registers = fc.constantFrom(45, 90, 0).map((lapseInSeconds) =>
  command(
    'a new lab registers',
    (m) => m.labs.filter((l) => l.onboarded).length < MAX_REGISTERED_LABS,
    async (m, w) => {
      const lapseAt = lapseInSeconds
        ? Date.now() + lapseInSeconds * 1000
        : Date.parse(`${addDays(localDate(new Date()), 365)}T16:00:00Z`);
      const key = `lab${m.labs.length}`;
      const staff = await w.api.givenUser('PROVIDER');
      w.tokens.set(key, staff.token);
      w.emails.set(key, staff.email);
      const res = await w.call<ProviderView>('POST', '/api/v1/providers', {
        token: staff.token,
        body: registrationBody({
          expiresOn: lapseInSeconds ? instant(lapseAt) : undefined,
          scope: [...STANDARDS, 'GB/T 2423.2'],
        }),
      });
      if (res?.status !== 201) return `${key} registers → ${said(res)}`;
      const lab: LabModel = {
        key,
        providerId: res.body.id,
        status: res.body.status,
        pending: true,
        lapseAt,
        onboarded: true,
        unitPriceFen: SERVICE.unitPriceFen,
      };
      m.labs.push(lab);
      const catalog = await w.call('PUT', `/api/v1/providers/${lab.providerId}/services`, {
        token: staff.token,
        body: { services: [SERVICE] },
      });
      if (catalog && catalog.status !== 200)
        w.record('wrong-outcome', `${key}'s catalog was refused: ${catalog.status} ${catalog.code}`);
      return `${key} registers (accreditation lapses ${lapseInSeconds ? `in ${lapseInSeconds} s` : 'in a year'}) → ${said(res, `provider ${lab.providerId.slice(0, 8)}`)}`;
    },
  ),
);

const lapsedOrRejected = (l: LabModel) => l.status === 'DELISTED' || l.status === 'REJECTED';

/** A delisted or rejected lab submits current accreditations for verification again. */
const renews = aim.map((a) =>
  command(
    'a lab renews its accreditations',
    (m) =>
      finds(
        m.labs.filter((l) => l.onboarded),
        lapsedOrRejected,
        a,
      ),
    async (m, w) => {
      const { item: lab, suits } = choose(
        m.labs.filter((l) => l.onboarded),
        lapsedOrRejected,
        a,
      );
      const before = lab.status;
      const renewal = registrationBody({ scope: [...STANDARDS, 'GB/T 2423.2'] }).accreditations;
      const res = await w.call<ProviderView>('PUT', `/api/v1/providers/${lab.providerId}/accreditations`, {
        token: w.token(lab.key),
        body: { accreditations: renewal },
      });
      if (res?.status === 200) lab.lapseAt = Date.parse(`${renewal[0]!.expiresOn}T16:00:00Z`);
      await judge(w, `${lab.key} renews its accreditations (${before})`, res, {
        allowed: suits,
        stillAllowed: async () => true,
      });
      await refreshLab(w, lab.key);
      return `${lab.key} renews its accreditations (${before}) → ${said(res, res?.status === 200 ? 'submitted' : null)}`;
    },
  ),
);

export const labCommands = [
  { weight: 8, arbitrary: confirms },
  { weight: 1, arbitrary: declines },
  { weight: 8, arbitrary: receivesSamples },
  { weight: 8, arbitrary: reports },
  { weight: 1, arbitrary: registers },
  { weight: 1, arbitrary: renews },
];
