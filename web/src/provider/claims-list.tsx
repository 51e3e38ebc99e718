import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { dynamicText } from '../i18n/dynamic';
import { ActionButton } from '../ui/buttons';
import { Money, When } from '../ui/Money';
import { formatFen } from '../ui/money';
import { Status } from '../ui/Timeline';

export type Claim = components['schemas']['Claim'];
export type ClaimStatus = Claim['status'];
type RiskFlag = components['schemas']['RiskFlag'];

export const CLAIM_STATUSES: ClaimStatus[] = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'PAID'];

/** While a claim still waits for a decision or the payout, the list looks again every few seconds. */
const FOLLOW_MS = 3_000;
const PAGE_SIZE = 20;

const open = (claim: Claim) => claim.status === 'PENDING_REVIEW' || claim.status === 'APPROVED';

/** The provider's claims, newest first, a page at a time, followed while any is still open. */
export function useClaims(status: ClaimStatus | null) {
  return useInfiniteQuery({
    queryKey: ['claims', status],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/claims', {
          params: { query: { limit: PAGE_SIZE, cursor: pageParam, ...(status ? { status } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some(open)) ? FOLLOW_MS : false,
  });
}

/** What a flag's details say, in the reader's words and money; null when there is nothing to add. */
function riskDetail(flag: RiskFlag, t: TFunction, locale: string): string | null {
  const fen = (key: string) => {
    const value = flag.details[key];
    return typeof value === 'number' ? formatFen(value, locale) : null;
  };
  switch (flag.code) {
    case 'PRICE_ABOVE_CATALOG': {
      const [quoted, catalog] = [fen('quotedPriceFen'), fen('catalogPriceFen')];
      return quoted && catalog ? t('provider.claims.riskDetail.price', { quoted, catalog }) : null;
    }
    case 'COPAYMENT_NOT_RECORDED': {
      const amount = fen('copaymentFen');
      return amount ? t('provider.claims.riskDetail.copayment', { amount }) : null;
    }
    case 'ANNUAL_CAP_EXCEEDED': {
      const [claimed, cap] = [fen('claimedThisYearFen'), fen('annualCapFen')];
      return claimed && cap ? t('provider.claims.riskDetail.cap', { claimed, cap }) : null;
    }
    case 'RELATED_PARTY': {
      const fields = flag.details.sharedFields;
      if (!Array.isArray(fields)) return null;
      const words = fields.map((field) => dynamicText(t, 'provider.claims.sharedField', String(field)));
      return t('provider.claims.riskDetail.shared', { fields: words.join(locale === 'en' ? ', ' : '、') });
    }
    default:
      return null;
  }
}

function RiskFlags({ flags }: { flags: RiskFlag[] }) {
  const { t, i18n } = useTranslation();
  if (flags.length === 0) return <>{t('provider.claims.list.noFlags')}</>;
  return (
    <ul className="risk-flags">
      {flags.map((flag) => {
        const detail = riskDetail(flag, t, i18n.language);
        return (
          <li key={flag.code} data-risk-flag={flag.code}>
            {dynamicText(t, 'provider.claims.riskFlag', flag.code)}
            {detail ? <span className="muted"> ({detail})</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

function Payment({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  if (!claim.paidAt) return <>{t('provider.claims.list.notPaid')}</>;
  return (
    <>
      <When at={claim.paidAt} />
      {claim.transfer?.reference ? (
        <>
          <br />
          <span data-testid="claim-transfer">
            {t('provider.claims.list.paidBy', { reference: claim.transfer.reference })}
          </span>
        </>
      ) : null}
    </>
  );
}

/** The claims as a table: which booking, how much, where each stands, what was flagged, how it was paid. */
export function ClaimsTable({ claims, filtered }: { claims: Claim[]; filtered: boolean }) {
  const { t } = useTranslation();
  if (claims.length === 0)
    return <p>{t(filtered ? 'provider.claims.list.emptyFiltered' : 'provider.claims.list.empty')}</p>;
  return (
    <table className="table" data-testid="claims">
      <caption className="visually-hidden">{t('provider.claims.list.heading')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('provider.claims.list.booking')}</th>
          <th scope="col">{t('provider.claims.list.voucher')}</th>
          <th scope="col">{t('provider.claims.list.amount')}</th>
          <th scope="col">{t('provider.claims.list.status')}</th>
          <th scope="col">{t('provider.claims.list.riskFlags')}</th>
          <th scope="col">{t('provider.claims.list.payment')}</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((claim) => (
          <tr key={claim.id} data-claim={claim.id}>
            <th scope="row">
              <Link to="/bookings/$id" params={{ id: claim.bookingId }}>
                {claim.contract.enterpriseName}
              </Link>
              <br />
              <span className="muted">
                {t('provider.claims.list.created')} <When at={claim.createdAt} />
              </span>
            </th>
            <td>{claim.contract.voucherCode}</td>
            <td>
              <Money fen={claim.amountFen} />
            </td>
            <td>
              <Status status={claim.status} />
              {claim.autoApproved ? (
                <>
                  <br />
                  {t('claim.autoApproved')}
                </>
              ) : null}
              {claim.decisionReason ? (
                <>
                  <br />
                  <span className="muted">
                    {t('provider.claims.list.decision', { reason: claim.decisionReason })}
                  </span>
                </>
              ) : null}
            </td>
            <td>
              <RiskFlags flags={claim.riskFlags} />
            </td>
            <td>
              <Payment claim={claim} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Show more" under a list read a page at a time. */
export function MoreButton(props: { hasMore: boolean; pending: boolean; onPress: () => void }) {
  const { t } = useTranslation();
  if (!props.hasMore) return null;
  return (
    <ActionButton variant="secondary" pending={props.pending} onPress={props.onPress}>
      {t('provider.claims.more')}
    </ActionButton>
  );
}
