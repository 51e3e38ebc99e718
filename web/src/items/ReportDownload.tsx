import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import type { Booking } from '../api/types';
import { dynamicText } from '../i18n/dynamic';
import { ActionButton } from '../ui/buttons';
import { saveFile } from '../ui/download';
import { When } from '../ui/Money';
import { ProblemMessage } from '../ui/ProblemMessage';

/** The report's facts and its PDF, fetched with the bearer token and handed to the browser as a file. */
export function ReportDownload({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const report = booking.report!;
  const download = useMutation({
    mutationFn: async () => {
      const blob = await unwrap<Blob>(
        api.GET('/api/v1/bookings/{id}/report', { params: { path: { id: booking.id } }, parseAs: 'blob' }),
      );
      saveFile(`report-${booking.id.slice(0, 8)}.pdf`, blob);
    },
  });
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">{t('report.heading')}</h2>
      <dl className="facts">
        <dt>{t('report.conclusion')}</dt>
        <dd>{dynamicText(t, 'conclusion', report.conclusion)}</dd>
        <dt>{t('report.uploaded')}</dt>
        <dd>
          <When at={report.uploadedAt} />
          {report.late ? ` · ${t('report.late')}` : null}
        </dd>
        <dt>{t('report.sha256')}</dt>
        <dd>
          <code className="hash">{report.sha256}</code>
        </dd>
      </dl>
      <ProblemMessage error={download.error} />
      <ActionButton variant="secondary" pending={download.isPending} onPress={() => download.mutate()}>
        {t('report.download')}
      </ActionButton>
    </section>
  );
}
