import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { Loading } from '../ui/buttons';
import { ProblemMessage } from '../ui/ProblemMessage';
import { PublicPage, tokenInLocation } from './PublicPage';
import { HOME_OF, session } from './session';

/** Follows the mailed confirmation link: confirms at once, then says so (and updates a signed-in session). */
export function VerifyEmail() {
  const { t } = useTranslation();
  const [token] = useState(tokenInLocation);
  const verify = useMutation({
    mutationFn: async () => {
      await unwrap(api.POST('/api/v1/auth/verify-email', { body: { token: token ?? '' } }));
      if (session.get()) session.updateUser(await unwrap(api.GET('/api/v1/me')));
    },
  });
  const { mutate } = verify;
  // once: the link works once, and a second try would say it was used
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutate();
  }, [mutate]);
  const current = session.get();
  return (
    <PublicPage title={t('account.verify.title')}>
      {verify.isPending ? <Loading /> : null}
      {verify.isSuccess ? (
        <p role="status" className="notice">
          {t('account.verify.done')}
        </p>
      ) : null}
      <ProblemMessage error={verify.error} />
      {verify.isPending ? null : (
        <p>
          {current ? (
            <Link to={HOME_OF[current.user.role]}>{t('account.verify.continue')}</Link>
          ) : (
            <Link to="/sign-in">{t('account.verify.signIn')}</Link>
          )}
        </p>
      )}
    </PublicPage>
  );
}
