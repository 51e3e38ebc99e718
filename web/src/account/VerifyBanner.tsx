import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { useSession } from '../ui/Layout';
import { ProblemMessage } from '../ui/ProblemMessage';

/** Until the user confirms their e-mail: what waits for it, and a way to have the link mailed again. */
export function VerifyBanner() {
  const { t } = useTranslation();
  const user = useSession()?.user;
  const resend = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/email-verification')),
  });
  if (!user || user.emailVerified) return null;
  return (
    <aside className="notice verify-banner" aria-labelledby="verify-banner">
      <p id="verify-banner">{t('account.verify.banner', { email: user.email })}</p>
      {resend.isSuccess ? (
        <p role="status">{t('account.verify.sent')}</p>
      ) : (
        <ActionButton variant="secondary" pending={resend.isPending} onPress={() => resend.mutate()}>
          {t('account.verify.sendAgain')}
        </ActionButton>
      )}
      <ProblemMessage error={resend.error} />
    </aside>
  );
}
