import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Each page names itself in the window title, which screen readers announce on navigation. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
}
