import { expect } from 'vitest';
import type { TestApi } from './api';
import { pdfReport, type ProviderFixture } from './providers';
import {
  DEMAND,
  givenApprovedVoucher,
  givenSme,
  until,
  type Caller,
  type EnterpriseOverrides,
} from './scenarios';

/**
 * One SME's journey through the API up to an approved claim: voucher, booking at the lab,
 * confirmation at the catalog price, samples, report, acceptance, co-payment, automatic approval.
 */
export async function givenApprovedClaim(
  api: TestApi,
  admin: Caller,
  programmeId: string,
  lab: ProviderFixture,
  enterprise: EnterpriseOverrides = {},
  /** the claim's status to wait for: APPROVED when the programme approves it automatically */
  waitFor: 'APPROVED' | 'PENDING_REVIEW' = 'APPROVED',
): Promise<{ claimId: string; bookingId: string; amountFen: number }> {
  const sme = await givenSme(api, enterprise);
  const { voucherId } = await givenApprovedVoucher(api, admin, sme, programmeId, 1_000_000);
  const step = async (token: string, path: string, body: object = {}) => {
    const res = await api.call<{ id: string; status: string; subsidyFen: number; quotedPriceFen: number }>(
      'POST',
      path,
      { token, body },
    );
    expect(res.status, res.text).toBeLessThan(300);
    return res.body;
  };
  const booking = await step(sme.token, '/api/v1/bookings', {
    voucherId,
    providerId: lab.providerId,
    demand: DEMAND,
  });
  const at = (action: string) => `/api/v1/bookings/${booking.id}/${action}`;
  await step(lab.token, at('confirm'), { quotedPriceFen: booking.quotedPriceFen });
  await step(lab.token, at('sample-received'));
  await step(lab.token, at('report'), {
    conclusion: 'PASS',
    fileName: 'report.pdf',
    contentBase64: pdfReport(`report ${booking.id}`),
  });
  await step(sme.token, at('accept'));
  await step(sme.token, at('copayment'), {
    reference: `BANK-${booking.id.slice(0, 8)}`,
    paidAt: new Date().toISOString(),
  });
  const claim = await until(`the claim ${waitFor}`, async () => {
    const row = await api.db.claim.findUnique({
      where: { bookingId: booking.id },
      select: { id: true, status: true, amountFen: true },
    });
    return row?.status === waitFor ? row : null;
  });
  return { claimId: claim.id, bookingId: booking.id, amountFen: Number(claim.amountFen) };
}
