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

/** A page's row: the claim, its booking's voucher and enterprise, its transfer. */
type Row = [
  claimId: string,
  paidAt: Date,
  amountFen: string,
  bookingId: string,
  programmeId: string,
  providerId: string,
  enterpriseName: string,
  enterpriseCreditCode: string,
  voucherCode: string,
  transferReference: string | null,
  batchId: string | null,
];

/** Rows per page: large enough that planning and the round trip are a small share of a page's time. */
export const SETTLEMENT_PAGE_SIZE = 5000;

/**
 * The names of the programmes and providers an export's claims name, read once per export: there are
 * a few programmes and a few thousand providers against hundreds of thousands of claims, so a join
 * would look the same rows up again for every claim.
 */
function partyNames(pool: pg.Pool) {
  const programmes = new Map<string, string>();
  const providers = new Map<string, { name: string; creditCode: string }>();
  return {
    async load(rows: readonly Row[]): Promise<void> {
      const programmeIds = [...new Set(rows.map((r) => r[4]).filter((id) => !programmes.has(id)))];
      const providerIds = [...new Set(rows.map((r) => r[5]).filter((id) => !providers.has(id)))];
      if (programmeIds.length) {
        const found = await pool.query<[string, string]>({
          text: 'SELECT id::text, name FROM programmes WHERE id = ANY($1::uuid[])',
          values: [programmeIds],
          rowMode: 'array',
        });
        for (const [id, name] of found.rows) programmes.set(id, name);
      }
      if (providerIds.length) {
        const found = await pool.query<[string, string, string]>({
          text: 'SELECT id::text, name, credit_code FROM providers WHERE id = ANY($1::uuid[])',
          values: [providerIds],
          rowMode: 'array',
        });
        for (const [id, name, creditCode] of found.rows) providers.set(id, { name, creditCode });
      }
    },
    line: (r: Row): SettlementLine => {
      const provider = providers.get(r[5])!;
      return {
        claimId: r[0],
        paidAt: r[1],
        amountFen: fenFromBigInt(BigInt(r[2])),
        bookingId: r[3],
        programmeId: r[4],
        programmeName: programmes.get(r[4])!,
        providerName: provider.name,
        providerCreditCode: provider.creditCode,
        enterpriseName: r[6],
        enterpriseCreditCode: r[7],
        voucherCode: r[8],
        transferReference: r[9],
        batchId: r[10],
      };
    },
  };
}

/**
 * Paid claims in the order they were paid, by keyset pages on (paid_at, id): each page is one range of
 * the index claims_paid_export_idx (which holds what a page reads of a claim, and the bookings,
 * vouchers and enterprises are read from covering indexes too), or of the programme or provider
 * variant of claims_paid_at_id_idx when the filter names one, so a page costs the same at the end of
 * the file as at its start. One page is read ahead: the next
 * page's query runs in the database while the consumer takes this one, and no further page is read
 * until the consumer asks for the next, so an export holds at most two pages however slowly its
 * client reads.
 */
export async function* paidClaimPages(
  pool: pg.Pool,
  filter: SettlementFilter,
  options: { pageSize?: number; onPage?: () => void } = {},
): AsyncGenerator<SettlementLine[]> {
  const limit = options.pageSize ?? SETTLEMENT_PAGE_SIZE;
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
    SELECT c.id::text, c.paid_at, c.amount_fen, c.booking_id::text, c.programme_id::text, c.provider_id::text,
           e.name, e.credit_code, v.code, t.gateway_reference, t.batch_id::text
    FROM claims c
    JOIN bookings b ON b.id = c.booking_id
    JOIN vouchers v ON v.id = b.voucher_id
    JOIN enterprises e ON e.id = b.enterprise_id
    LEFT JOIN payout_transfers t ON t.id = c.transfer_id
    WHERE ${[...where, ...(keyset ? [`(c.paid_at, c.id) > ($${n + 2}, $${n + 3}::uuid)`] : [])].join(' AND ')}
    ORDER BY c.paid_at, c.id
    LIMIT $${n + 1}`;
  // one prepared statement per filter shape, planned once per connection rather than once per page
  const shape = ['programmeId', 'providerId', 'from', 'to']
    .map((key) => (filter[key as keyof SettlementFilter] ? '1' : '0'))
    .join('');
  const page = (after: readonly [Date, string] | null) => {
    const result = pool.query<Row>({
      name: `settlement-page-${shape}-${after ? 'next' : 'first'}`,
      text: select(after !== null),
      values: after ? [...values, limit, ...after] : [...values, limit],
      rowMode: 'array',
    });
    // counted when read, whether or not the consumer has asked for it yet; awaited below unless the
    // consumer stopped first
    result.then(
      () => options.onPage?.(),
      () => undefined,
    );
    return result;
  };
  const names = partyNames(pool);
  let reading = page(null);
  for (;;) {
    const { rows } = await reading;
    const more = rows.length === limit;
    if (more) {
      const last = rows[rows.length - 1]!;
      reading = page([last[1], last[0]]);
    }
    if (rows.length) {
      await names.load(rows);
      yield rows.map(names.line);
    }
    if (!more) return;
  }
}
