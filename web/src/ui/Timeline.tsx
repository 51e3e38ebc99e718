import { useTranslation } from 'react-i18next';
import type { Awaiting, TimelineEntry } from '../api/types';
import { When } from './Money';
import { dynamicText } from '../i18n/dynamic';

/** What an audit entry recorded that a person would want to read: a reason, a note, a message. */
function note(details: unknown): string | null {
  if (!details || typeof details !== 'object') return null;
  const record = details as Record<string, unknown>;
  for (const key of ['reason', 'note', 'message', 'statusReason']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return null;
}

/**
 * A process item's steps as a readable list — what happened, who did it, when — ending with what it
 * now waits for, from whom and by when.
 */
export function Timeline({ entries, awaiting }: { entries: TimelineEntry[]; awaiting?: Awaiting | null }) {
  const { t } = useTranslation();
  return (
    <section className="timeline-section" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('timeline.heading')}</h2>
      <ol className="timeline">
        {entries.map((entry, index) => {
          const said = note(entry.details);
          return (
            <li key={`${entry.at}-${entry.action}-${index}`} className="timeline-step done">
              <span className="timeline-what">{dynamicText(t, 'timeline.action', entry.action)}</span>
              <span className="timeline-meta">
                {dynamicText(t, 'actor', entry.actor.role)} · <When at={entry.at} />
              </span>
              {said ? <span className="timeline-note">{said}</span> : null}
            </li>
          );
        })}
        {awaiting ? (
          <li className="timeline-step awaiting" aria-current="step">
            <AwaitingText awaiting={awaiting} />
          </li>
        ) : null}
      </ol>
    </section>
  );
}

/** "Waiting for the laboratory to confirm the booking, by 23 Nov 16:00; then the slot is released." */
export function AwaitingText({ awaiting }: { awaiting: Awaiting }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="timeline-what">
        {t('timeline.waitingFor', {
          party: dynamicText(t, 'party', awaiting.party),
          action: dynamicText(t, 'awaited', awaiting.action),
        })}
      </span>
      {awaiting.dueAt ? (
        <span className="timeline-meta">
          {t('timeline.dueBy')} <When at={awaiting.dueAt} />
          {awaiting.afterDue ? ` · ${dynamicText(t, 'afterDue', awaiting.afterDue)}` : null}
        </span>
      ) : null}
    </>
  );
}

/** A status as words, with its code kept for machines and tests. */
export function Status({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status}>
      {dynamicText(t, 'status', status)}
    </span>
  );
}
