import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { usePageTitle } from '../ui/page';
import { ProblemMessage } from '../ui/ProblemMessage';

/** The auditor's home: nothing waits for an auditor, so it starts with verifying the audit chain. */
export function AuditorHome() {
  const { t } = useTranslation();
  usePageTitle(t('auditor.home.title'));
  const verify = useMutation({ mutationFn: () => unwrap(api.GET('/api/v1/audit/verify')) });
  return (
    <>
      <h1>{t('auditor.home.title')}</h1>
      <p>{t('auditor.home.intro')}</p>
      <section aria-labelledby="verify-heading" className="panel">
        <h2 id="verify-heading">{t('auditor.verify.heading')}</h2>
        <ActionButton pending={verify.isPending} onPress={() => verify.mutate()}>
          {t('auditor.verify.run')}
        </ActionButton>
        <ProblemMessage error={verify.error} />
        {verify.data ? (
          <p role="status" className={verify.data.valid ? 'notice ok' : 'problem'}>
            {verify.data.valid
              ? t('auditor.verify.valid', { count: verify.data.checked })
              : t('auditor.verify.broken', {
                  count: verify.data.checked,
                  seq: verify.data.break?.seq ?? '?',
                  reason: verify.data.break?.reason ?? '',
                })}
          </p>
        ) : null}
      </section>
    </>
  );
}
