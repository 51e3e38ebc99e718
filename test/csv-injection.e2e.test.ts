import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api';
import { givenApprovedClaim } from './support/journeys';
import { runPayout } from './support/four-eyes';
import { CLIMATE_SERVICE, givenListedProvider, registrationBody } from './support/provider-fixtures';
import type { ProviderFixture } from './support/providers';
import { givenAdmin, givenProgramme, until, type Caller } from './support/scenarios';
import { FORMULA_PAYLOADS, openCsv, wouldRun, type SheetCell } from './support/spreadsheet';
import { startTestWorker, uniqueTaskQueue, type TestWorkerHarness } from './support/worker';

/**
 * Enterprises, providers and a programme named with spreadsheet formulas, driven through to paid
 * claims, and every CSV export the service writes opened as a spreadsheet opens it: no cell is a
 * formula, and each name is still all there. (The portal's own CSV export: test/csv-cell.test.ts.)
 */

let api: TestApi;
let worker: TestWorkerHarness;
let admin: Caller;
let auditor: string;
let programme: { id: string; name: string };
let labs: ProviderFixture[];
/** what the service stored of each name: a name is trimmed, so `\t=1` is kept as `=1` */
let names: { programme: string; enterprises: string[]; providers: string[] };
/** the paid claims, in the order of the pairs */
let claimIds: string[];

/** Two payloads per claim: the enterprise's name and the provider's. */
const pairs = Array.from({ length: Math.ceil(FORMULA_PAYLOADS.length / 2) }, (_, i) => ({
  enterprise: FORMULA_PAYLOADS[2 * i]!,
  provider: FORMULA_PAYLOADS[2 * i + 1] ?? FORMULA_PAYLOADS[0]!,
}));

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue(import.meta.url);
  [worker, api] = await Promise.all([startTestWorker({ taskQueue }), startTestApi({ taskQueue })]);
  admin = await givenAdmin(api);
  auditor = (await api.givenUser('AUDITOR')).token;
  programme = await givenProgramme(api, admin, {
    name: '=HYPERLINK("http://evil.example","检测券")',
    policy: {
      providerConfirmWithin: '1h',
      reportGrace: '1h',
      acceptanceWithin: '1h',
      dayLength: '1s',
      payoutSchedule: '24h',
      voucherValidity: '30d',
    },
  }).then(async ({ id }) => ({
    id,
    name: (await api.db.programme.findUniqueOrThrow({ where: { id } })).name,
  }));

  // one journey after the other: a busy machine answers them in time
  labs = [];
  const claims = [];
  for (const { provider, enterprise } of pairs) {
    const lab = await givenListedProvider(api, admin, {
      body: registrationBody({ name: provider }),
      services: [{ ...CLIMATE_SERVICE, standards: ['GB/T 2423.1', 'IEC 61000-4-2'], unitPriceFen: 30_000 }],
    });
    const row = await api.db.provider.findUniqueOrThrow({ where: { id: lab.providerId } });
    labs.push({ ...lab, name: row.name });
    claims.push(await givenApprovedClaim(api, admin, programme.id, labs.at(-1)!, { name: enterprise }));
  }
  await runPayout(api, admin, await givenAdmin(api), programme.id);
  for (const { claimId } of claims) {
    await until(
      'the claim paid',
      async () => (await api.db.claim.findUniqueOrThrow({ where: { id: claimId } })).status === 'PAID',
      90_000,
    );
  }
  const enterprises = await Promise.all(
    claims.map(async ({ bookingId }) => {
      const booking = await api.db.booking.findUniqueOrThrow({ where: { id: bookingId } });
      return (await api.db.enterprise.findUniqueOrThrow({ where: { id: booking.enterpriseId } })).name;
    }),
  );
  names = { programme: programme.name, enterprises, providers: labs.map((l) => l.name) };
  claimIds = claims.map((c) => c.claimId);
}, 240_000);

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
});

/** The file's bytes as the browser saves them. */
async function download(path: string, token: string): Promise<Buffer> {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  return Buffer.from(await res.arrayBuffer());
}

/** Every cell as text, none a formula; the rows as objects by header. */
function opened(bytes: Buffer): Record<string, SheetCell>[] {
  // UTF-8 with a byte-order mark, so that Excel reads the Chinese names
  expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
  const [header, ...rows] = openCsv(bytes);
  for (const cell of [...header!, ...rows.flat()]) {
    expect(cell.formula, `${cell.at} ${JSON.stringify(cell.text)}`).toBeUndefined();
    expect(wouldRun(cell.text), `${cell.at} ${JSON.stringify(cell.text)}`).toBe(false);
  }
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h.text, row[i]!])));
}

/** The cell shows the name: as it is, or after the apostrophe that makes a spreadsheet show it as text. */
function expectShows(cell: SheetCell | undefined, name: string) {
  expect([name, `'${name}`], JSON.stringify(cell)).toContain(cell?.text);
}

describe('names that are spreadsheet formulas, in every CSV export', () => {
  it('were kept as sent (trimmed), so that the exports carry them', () => {
    expect(names.enterprises).toEqual(pairs.map((p) => p.enterprise.trim()));
    expect(names.providers).toEqual(pairs.map((p) => p.provider.trim()));
  });

  it('open as text in the settlements export, for an admin and an auditor alike', async () => {
    for (const token of [admin.token, auditor]) {
      const rows = opened(
        await download(`/api/v1/reports/settlements.csv?programmeId=${programme.id}`, token),
      );
      expect(rows).toHaveLength(pairs.length);
      const shown = new Map(rows.map((row) => [row.claim_id!.text, row]));
      expect(shown.size).toBe(pairs.length);
      for (const row of rows) {
        expectShows(row.programme_name, names.programme);
        const i = claimIds.indexOf(row.claim_id!.text);
        expect(i, row.claim_id!.text).toBeGreaterThanOrEqual(0);
        expectShows(row.provider_name, names.providers[i]!);
        expectShows(row.enterprise_name, names.enterprises[i]!);
        // amounts stay numbers
        expect(row.amount_fen!.text).toMatch(/^\d+$/);
      }
    }
  });

  it("open as text in each provider's payments export", async () => {
    for (const [i, lab] of labs.entries()) {
      const rows = opened(await download(`/api/v1/providers/${lab.providerId}/payments.csv`, lab.token));
      expect(rows).toHaveLength(1);
      expectShows(rows[0]!.provider_name, names.providers[i]!);
      expectShows(rows[0]!.enterprise_name, names.enterprises[i]!);
      expectShows(rows[0]!.programme_name, names.programme);
    }
  });

  it('would have opened as formulas without the rule: the spreadsheet check sees them', () => {
    // the same names written raw (one already beginning with the apostrophe is text anyway): the
    // checks above are not ones that always pass
    const dangerous = [names.programme, ...names.enterprises, ...names.providers].filter(
      (n) => !n.startsWith("'"),
    );
    const raw = `name\n${dangerous.map((n) => (/[",\r\n]/.test(n) ? `"${n.replaceAll('"', '""')}"` : n)).join('\n')}\n`;
    const cells = openCsv(raw)
      .slice(1)
      .map((row) => row[0]!);
    expect(cells).toHaveLength(dangerous.length);
    cells.forEach((cell, i) => {
      // run as a formula, or turned into something else than the name (`+1` opens as the number 1)
      expect(
        cell.formula !== undefined || wouldRun(cell.text) || cell.text !== dangerous[i],
        JSON.stringify(cell),
      ).toBe(true);
    });
  });
});
