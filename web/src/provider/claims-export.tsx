import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ActionButton } from '../ui/buttons';
import { fileNameOf, saveFile } from '../ui/download';
import { ProblemMessage } from '../ui/ProblemMessage';

/** What was paid to the provider, as the CSV the service writes, fetched with the token and saved as a file. */
export function PaymentsExport({ providerId }: { providerId: string }) {
  const { t } = useTranslation();
  const download = useMutation({
    mutationFn: async () => {
      const answer = await api.GET('/api/v1/providers/{id}/payments.csv', {
        params: { path: { id: providerId } },
        parseAs: 'blob',
      });
      const blob = await unwrap<Blob>(Promise.resolve(answer));
      saveFile(fileNameOf(answer.response, 'payments.csv'), blob);
    },
  });
  return (
    <section aria-labelledby="payments-export-heading">
      <h2 id="payments-export-heading">{t('provider.claims.export.heading')}</h2>
      <p>{t('provider.claims.export.intro')}</p>
      <ProblemMessage error={download.error} />
      <ActionButton variant="secondary" pending={download.isPending} onPress={() => download.mutate()}>
        {t('provider.claims.export.download')}
      </ActionButton>
    </section>
  );
}
