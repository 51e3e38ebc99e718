import { REPORT_MEDIA_TYPE, reportFileProblem, type ReportFileProblem } from '@domain/report-file';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, DropZone, FileTrigger, Form, ProgressBar, Text, type DropItem } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError, idempotencyKey } from '../api/client';
import type { Booking, Problem } from '../api/types';
import { endSession, session } from '../auth/session';
import { ActionButton } from '../ui/buttons';
import { Choice } from '../ui/fields';
import { fieldErrors, ProblemMessage } from '../ui/ProblemMessage';
import { useBookingRefresh } from '../items/booking-refresh';

type Conclusion = 'PASS' | 'FAIL' | 'INFO';

/** What the browser computed of the file it sent, kept until the page shows the service's answer. */
interface LocalDigest {
  fileName: string;
  sha256: string;
}

const digestKey = (bookingId: string) => ['report-digest', bookingId];

/** `10485760` → `10 MB`, `2048` → `2 KB`. */
function formatSize(bytes: number, locale: string): string {
  const mega = bytes >= 1024 * 1024;
  const value = bytes / (mega ? 1024 * 1024 : 1024);
  const digits = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  return `${digits} ${mega ? 'MB' : 'KB'}`;
}

async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // a data: URL, `data:application/pdf;base64,<content>`
      const url = reader.result as string;
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/**
 * POST /bookings/{id}/report through XMLHttpRequest, whose upload events tell how much has gone
 * (fetch does not); the answer and refusals are read as the typed client reads them.
 */
function sendReport(
  bookingId: string,
  body: { conclusion: Conclusion; fileName: string; contentBase64: string },
  onProgress: (fraction: number) => void,
): Promise<Booking> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1/bookings/${encodeURIComponent(bookingId)}/report`);
    request.responseType = 'json';
    request.setRequestHeader('Content-Type', 'application/json');
    const token = session.get()?.token;
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(idempotencyKey())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const answer = request.response as unknown;
      if (request.status >= 200 && request.status < 300) return resolve(answer as Booking);
      const problem = answer && typeof answer === 'object' && 'code' in answer ? (answer as Problem) : null;
      if (request.status === 401 && session.get())
        endSession(problem?.code === 'TOKEN_EXPIRED' ? 'expired' : 'signedOut');
      reject(problem ? new ApiError(problem) : new Error(`the service answered ${request.status}`));
    };
    request.onerror = () => reject(new Error('the service could not be reached'));
    request.send(JSON.stringify(body));
  });
}

/**
 * The report: uploaded while the samples are with the lab, then checked — the SHA-256 the browser computed
 * beside the one the service recorded.
 */
export function ReportUpload({
  booking,
  may,
  limitBytes,
}: {
  booking: Booking;
  may: boolean;
  limitBytes: number;
}) {
  const local = useQuery<LocalDigest | null>({
    queryKey: digestKey(booking.id),
    queryFn: () => null,
    enabled: false,
    staleTime: Infinity,
  });
  return (
    <>
      {may ? <UploadForm booking={booking} limitBytes={limitBytes} /> : null}
      {local.data && booking.report ? (
        <DigestCheck local={local.data} recorded={booking.report.sha256} />
      ) : null}
    </>
  );
}

function UploadForm({ booking, limitBytes }: { booking: Booking; limitBytes: number }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = useBookingRefresh(booking.id);
  const [conclusion, setConclusion] = useState<Conclusion | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<ReportFileProblem | null>(null);
  const [missing, setMissing] = useState<'file' | 'conclusion' | null>(null);
  const [progress, setProgress] = useState(0);
  const limit = formatSize(limitBytes, i18n.language);

  const upload = useMutation({
    mutationFn: async ({ report, chosen }: { report: File; chosen: Conclusion }) => {
      setProgress(0);
      const [sha256, contentBase64] = await Promise.all([sha256Hex(report), base64Of(report)]);
      const answer = await sendReport(
        booking.id,
        { conclusion: chosen, fileName: report.name, contentBase64 },
        setProgress,
      );
      queryClient.setQueryData<LocalDigest>(digestKey(booking.id), { fileName: report.name, sha256 });
      return answer;
    },
    onSuccess: () => refresh(t('provider.inbox.report.uploaded')),
  });
  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    upload.reset();
    setMissing(null);
    const head = new Uint8Array(await chosen.slice(0, 8).arrayBuffer());
    setFile(chosen);
    setProblem(reportFileProblem({ name: chosen.name, size: chosen.size, head }, limitBytes));
  };
  const dropped = async (items: DropItem[]) => {
    const item = items.find((i) => i.kind === 'file');
    if (item?.kind === 'file') await choose(await item.getFile());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!conclusion) return setMissing('conclusion');
    if (!file) return setMissing('file');
    if (problem) return;
    upload.mutate({ report: file, chosen: conclusion });
  };

  return (
    <section aria-labelledby="upload-heading" className="panel">
      <h2 id="upload-heading">{t('provider.inbox.report.heading')}</h2>
      <p>{t('provider.inbox.report.intro', { limit })}</p>
      <Form
        validationBehavior="aria"
        onSubmit={submit}
        validationErrors={{
          ...fieldErrors(upload.error),
          ...(missing === 'conclusion' ? { conclusion: t('provider.inbox.report.needConclusion') } : {}),
        }}
        className="form"
      >
        <Choice<Conclusion>
          name="conclusion"
          label={t('provider.inbox.report.conclusion')}
          options={(['PASS', 'FAIL', 'INFO'] as const).map((id) => ({ id, label: t(`conclusion.${id}`) }))}
          value={conclusion}
          onChange={(value) => {
            setConclusion(value);
            if (missing === 'conclusion') setMissing(null);
          }}
          isRequired
        />
        <DropZone className="drop-zone" onDrop={(event) => void dropped(event.items)}>
          <Text slot="label">{t('provider.inbox.report.dropHere')}</Text>
          <FileTrigger
            acceptedFileTypes={[REPORT_MEDIA_TYPE, '.pdf']}
            onSelect={(files) => void choose(files?.[0])}
          >
            <Button className="button secondary">{t('provider.inbox.report.choose')}</Button>
          </FileTrigger>
          {file ? (
            <p className="chosen-file">
              {t('provider.inbox.report.chosen', {
                name: file.name,
                size: formatSize(file.size, i18n.language),
              })}
            </p>
          ) : null}
        </DropZone>
        {problem && file ? (
          <div role="alert" className="problem">
            {t(`provider.inbox.report.problem.${problem.code}`, {
              name: file.name,
              size: formatSize(file.size, i18n.language),
              limit,
            })}
          </div>
        ) : null}
        {missing === 'file' ? (
          <div role="alert" className="problem">
            {t('provider.inbox.report.needFile')}
          </div>
        ) : null}
        {upload.isPending ? (
          <ProgressBar
            className="upload-progress"
            aria-label={t('provider.inbox.report.uploading')}
            value={Math.round(progress * 100)}
          >
            {({ percentage, valueText }) => (
              <>
                <span className="upload-track" aria-hidden="true">
                  <span className="upload-fill" style={{ width: `${percentage ?? 0}%` }} />
                </span>
                <span>{valueText}</span>
              </>
            )}
          </ProgressBar>
        ) : null}
        <ProblemMessage error={upload.error} />
        <ActionButton type="submit" pending={upload.isPending}>
          {t('provider.inbox.report.upload')}
        </ActionButton>
      </Form>
    </section>
  );
}

function DigestCheck({ local, recorded }: { local: LocalDigest; recorded: string }) {
  const { t } = useTranslation();
  const same = local.sha256 === recorded;
  return (
    <section aria-labelledby="digest-heading" className="panel">
      <h2 id="digest-heading">{t('provider.inbox.report.digestHeading')}</h2>
      <dl className="facts">
        <dt>{t('provider.inbox.report.localDigest')}</dt>
        <dd>
          <code className="hash" data-testid="local-sha256">
            {local.sha256}
          </code>{' '}
          ({local.fileName})
        </dd>
        <dt>{t('provider.inbox.report.serviceDigest')}</dt>
        <dd>
          <code className="hash">{recorded}</code>
        </dd>
      </dl>
      <p role="status" className={same ? 'notice ok' : 'problem'}>
        {same ? t('provider.inbox.report.digestsMatch') : t('provider.inbox.report.digestsDiffer')}
      </p>
    </section>
  );
}
