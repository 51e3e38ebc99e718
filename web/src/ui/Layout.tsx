import { useMutation } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Role } from '../api/types';
import { signOutHere } from '../account/Account';
import { VerifyBanner } from '../account/VerifyBanner';
import { HOME_OF, session } from '../auth/session';
import { applyLocale, type Locale } from '../i18n';
import { Notifications } from './Notifications';

export function useSession() {
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.get(),
  );
}

const NAV: Record<Role, { to: string; label: string }[]> = {
  SME: [
    { to: '/sme', label: 'nav.home' },
    { to: '/sme/programmes', label: 'nav.programmes' },
    { to: '/sme/enterprise', label: 'account.nav.enterprise' },
  ],
  PROVIDER: [
    { to: '/provider', label: 'nav.home' },
    { to: '/provider/bookings', label: 'nav.bookings' },
    { to: '/provider/calendar', label: 'nav.calendar' },
    { to: '/provider/catalog', label: 'nav.catalog' },
    { to: '/provider/claims', label: 'nav.claims' },
    { to: '/provider/onboarding', label: 'nav.organisation' },
  ],
  ADMIN: [
    { to: '/admin', label: 'nav.home' },
    { to: '/admin/applications', label: 'nav.queues' },
    { to: '/programmes', label: 'nav.programmesAdmin' },
    { to: '/reports', label: 'nav.reports' },
    { to: '/audit', label: 'nav.audit' },
    { to: '/admin/users', label: 'account.nav.users' },
  ],
  AUDITOR: [
    { to: '/auditor', label: 'nav.home' },
    { to: '/programmes', label: 'nav.programmesAdmin' },
    { to: '/reports', label: 'nav.reports' },
    { to: '/audit', label: 'nav.audit' },
  ],
};

/** Switches the portal's language and, when signed in, the user's own (e-mails follow it too). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = useSession();
  const other: Locale = i18n.language === 'en' ? 'zh-CN' : 'en';
  const save = useMutation({
    mutationFn: async (locale: Locale) => {
      await applyLocale(locale);
      if (session.get()) {
        const user = await unwrap(api.PATCH('/api/v1/me', { body: { locale } }));
        session.updateUser(user);
      }
    },
  });
  return (
    <Button
      className="button secondary small"
      onPress={() => save.mutate(other)}
      isPending={save.isPending}
      aria-label={t('nav.switchLanguageTo', { language: t(`language.${other}`) })}
      data-signed-in={current ? 'yes' : 'no'}
    >
      <span lang={other}>{t(`language.${other}`)}</span>
    </Button>
  );
}

/** The frame of every signed-in page: skip link, header with navigation, language and sign-out. */
/** After a navigation, focus goes to the new page's content, where a screen reader starts reading. */
function useFocusOnNavigation() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [pathname]);
}

export function Layout() {
  const { t } = useTranslation();
  const current = useSession();
  useFocusOnNavigation();
  if (!current) return null;
  const role = current.user.role;
  // the token stops working at the service; the router hears the session end and shows the sign-in page
  const signOut = () => void signOutHere();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="app-header">
        <Link to={HOME_OF[role]} className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {NAV[role].map((item) => (
              <li key={item.to}>
                <Link to={item.to} activeOptions={{ exact: true }} activeProps={{ 'aria-current': 'page' }}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <span className="who">
            {current.user.displayName} · {t(`role.${role}`)}
          </span>
          <Link to="/account" className="button secondary small" activeProps={{ 'aria-current': 'page' }}>
            {t('account.nav.account')}
          </Link>
          <LanguageSwitch />
          <Button className="button secondary small" onPress={signOut}>
            {t('nav.signOut')}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <VerifyBanner />
        <Outlet />
      </main>
      <Notifications />
    </>
  );
}
