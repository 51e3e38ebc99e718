import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Loading } from '../ui/buttons';
import { useSession } from '../ui/Layout';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';
import { CatalogEditor } from './catalog-editor';
import { useProvider } from './onboarding-status';

/** The provider's services: category, standards, price, turnaround and capacity, edited as one. */
export function ProviderCatalog() {
  const { t } = useTranslation();
  usePageTitle(t('provider.catalog.title'));
  const providerId = useSession()?.user.providerId;
  return (
    <>
      <h1>{t('provider.catalog.title')}</h1>
      <p>{t('provider.catalog.intro')}</p>
      {providerId ? (
        <Catalog id={providerId} />
      ) : (
        <>
          <p className="notice">{t('provider.catalog.noProvider')}</p>
          <Link to="/provider/onboarding" className="button primary">
            {t('provider.onboarding.register.heading')}
          </Link>
        </>
      )}
    </>
  );
}

function Catalog({ id }: { id: string }) {
  const provider = useProvider(id);
  if (provider.isPending) return <Loading />;
  if (!provider.data) return <ProblemMessage error={provider.error} />;
  return <CatalogEditor provider={provider.data} />;
}
