import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page';
import { ChainVerification } from './ChainVerification';
import './auditor.css';

const DESK = [
  { to: '/reports', key: 'reports' },
  { to: '/audit', key: 'audit' },
  { to: '/programmes', key: 'programmes' },
] as const;

/** The auditor's desk: where the figures, the log and the programmes are, and the chain verified at once. */
export function AuditorHome() {
  const { t } = useTranslation();
  usePageTitle(t('auditor.home.title'));
  return (
    <>
      <h1>{t('auditor.home.title')}</h1>
      <p>{t('auditor.home.intro')}</p>
      <ul className="cards desk">
        {DESK.map((item) => (
          <li key={item.to} className="card">
            <h2>
              <Link to={item.to}>{t(`auditor.home.${item.key}`)}</Link>
            </h2>
            <p>{t(`auditor.home.${item.key}Text`)}</p>
          </li>
        ))}
      </ul>
      <ChainVerification />
    </>
  );
}
