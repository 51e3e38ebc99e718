import type pg from 'pg';
import type { SettlementLine } from '../../domain/kpis';
import { fenFromBigInt } from '../../domain/money';

export interface SettlementFilter {
  programmeId?: string;
  /** one provider's payments only */
  providerId?: string;
  from?: Date;
  to?: Date;
}

type Row = [
  string,
  Date,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
];

function toLine(r: Row): SettlementLine {
  return {
    claimId: r[0],
    paidAt: r[1],
    amountFen: fenFromBigInt(BigInt(r[2])),
    bookingId: r[3],
    programmeId: r[4],
    programmeName: r[5],
    providerName: r[6],
    providerCreditCode: r[7],
    enterpriseName: r[8],
    enterpriseCreditCode: r[9],
    voucherCode: r[10],
    transferReference: r[11],
    batchId: r[12],
  };
}

/**
 * Paid claims in the order they were paid, by keyset pages on (paid_at, id): each page is one range of
 * the index claims_paid_at_id_idx, or of its programme or provider variant when the filter names one,
 * so a page costs the same at the end of the file as at its start. The next page is read only when the
 * consumer asks for it.
 */
export async function* paidClaimPages(
  pool: pg.Pool,
  filter: SettlementFilter,
  options: { pageSize?: number; onPage?: () => void } = {},
): AsyncGenerator<SettlementLine[]> {
  const limit = options.pageSize ?? 2000;
  const values: unknown[] = [];
  const where = [`c.status = 'PAID'`, `c.paid_at IS NOT NULL`];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.programmeId) add((p) => `c.programme_id = ${p}::uuid`, filter.programmeId);
  if (filter.providerId) add((p) => `c.provider_id = ${p}::uuid`, filter.providerId);
  if (filter.from) add((p) => `c.paid_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `c.paid_at < ${p}`, filter.to);
  const n = values.length;
  const select = (keyset: boolean) => `
    SELECT c.id::text, c.paid_at, c.amount_fen, c.booking_id::text, pg.id::text, pg.name,
           p.name, p.credit_code, e.name, e.credit_code, v.code, t.gateway_reference, t.batch_id::text
    FROM claims c
    JOIN bookings b ON b.id = c.booking_id
    JOIN vouchers v ON v.id = b.voucher_id
    JOIN enterprises e ON e.id = b.enterprise_id
    JOIN providers p ON p.id = c.provider_id
    JOIN programmes pg ON pg.id = c.programme_id
    LEFT JOIN payout_transfers t ON t.id = c.transfer_id
    WHERE ${[...where, ...(keyset ? [`(c.paid_at, c.id) > ($${n + 2}, $${n + 3}::uuid)`] : [])].join(' AND ')}
    ORDER BY c.paid_at, c.id
    LIMIT $${n + 1}`;
  // one prepared statement per filter shape, planned once per connection rather than once per page
  const shape = ['programmeId', 'providerId', 'from', 'to']
    .map((key) => (filter[key as keyof SettlementFilter] ? '1' : '0'))
    .join('');
  let after: [Date, string] | null = null;
  for (;;) {
    const result: pg.QueryResult<Row> = await pool.query<Row>({
      name: `settlement-page-${shape}-${after ? 'next' : 'first'}`,
      text: select(after !== null),
      values: after ? [...values, limit, ...after] : [...values, limit],
      rowMode: 'array',
    });
    options.onPage?.();
    if (result.rows.length) yield result.rows.map(toLine);
    if (result.rows.length < limit) return;
    const last = result.rows[result.rows.length - 1]!;
    after = [last[1], last[0]];
  }
}
