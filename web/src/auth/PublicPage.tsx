import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../ui/Layout';
import { usePageTitle } from '../ui/page';

/** The frame of a page for someone not signed in: the service's name, the language, the page's heading. */
export function PublicPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <div className="public-page">
      <header className="public-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="narrow">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

/** The token a mailed link carries in its query, read once when the page opens. */
export function tokenInLocation(): string | null {
  const token = new URLSearchParams(window.location.search).get('token');
  return token && token.trim() ? token.trim() : null;
}
