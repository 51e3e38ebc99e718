import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ActionButton, Loading } from '../../ui/buttons';
import { useSession } from '../../ui/Layout';
import { Money, When } from '../../ui/Money';
import { usePageTitle } from '../../ui/page';
import { ProblemMessage } from '../../ui/ProblemMessage';

const PAGE_SIZE = 50;

/** The programmes, newest first, each with its budget and ledger in brief; administrators create one. */
export function AdminProgrammes() {
  const { t } = useTranslation();
  usePageTitle(t('admin.programmes.title'));
  const current = useSession();
  const list = useInfiniteQuery({
    queryKey: ['programmes', 'all'],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/programs', {
          params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = list.data?.pages.flatMap((page) => page.items);
  return (
    <>
      <h1>{t('admin.programmes.title')}</h1>
      <p>{t('admin.programmes.intro')}</p>
      {current?.user.role === 'ADMIN' ? (
        <p>
          <Link to="/programmes/new" className="button primary">
            {t('admin.programmes.newProgramme')}
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="programmes-heading">
        <h2 id="programmes-heading">{t('admin.programmes.list.heading')}</h2>
        {list.isPending ? <Loading /> : null}
        <ProblemMessage error={list.error} />
        {items?.length === 0 ? <p>{t('admin.programmes.none')}</p> : null}
        {items?.length ? (
          <div className="table-scroll">
            <table className="table" data-testid="programmes" aria-labelledby="programmes-heading">
              <thead>
                <tr>
                  <th scope="col">{t('admin.programmes.list.name')}</th>
                  <th scope="col">{t('admin.programmes.list.year')}</th>
                  <th scope="col">{t('admin.programmes.list.region')}</th>
                  <th scope="col">{t('admin.programmes.list.status')}</th>
                  <th scope="col">{t('admin.programmes.list.budget')}</th>
                  <th scope="col">{t('admin.programmes.list.available')}</th>
                  <th scope="col">{t('admin.programmes.list.payable')}</th>
                  <th scope="col">{t('admin.programmes.list.paid')}</th>
                  <th scope="col">{t('admin.programmes.list.created')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id} data-programme={p.id}>
                    <th scope="row">
                      <Link to="/programmes/$id" params={{ id: p.id }}>
                        {p.name}
                      </Link>
                      <div className="muted">{p.authority}</div>
                    </th>
                    <td>{p.year}</td>
                    <td>{p.regionCode}</td>
                    <td data-status={p.status}>{t(`admin.programmes.status.${p.status}`)}</td>
                    <td>
                      <Money fen={p.budgetFen} />
                    </td>
                    <td data-account="AVAILABLE">
                      {p.ledger ? <Money fen={p.ledger.accounts.AVAILABLE} /> : '—'}
                    </td>
                    <td data-account="PAYABLE">
                      {p.ledger ? <Money fen={p.ledger.accounts.PAYABLE} /> : '—'}
                    </td>
                    <td data-account="PAID">{p.ledger ? <Money fen={p.ledger.accounts.PAID} /> : '—'}</td>
                    <td>
                      <When at={p.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {list.hasNextPage ? (
          <ActionButton
            variant="secondary"
            pending={list.isFetchingNextPage}
            onPress={() => void list.fetchNextPage()}
          >
            {t('admin.programmes.list.more')}
          </ActionButton>
        ) : null}
      </section>
    </>
  );
}
