import { Link } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Application } from '../../api/types';
import { Money, When } from '../../ui/Money';
import { Status } from '../../ui/Timeline';
import { DecisionForm } from './application-decision';
import { ReviewFacts } from './application-facts';

const COLUMNS = 8;
/** A decision can still be taken on these (a request for information may still be rejected). */
const DECIDABLE = new Set(['UNDER_REVIEW', 'INFO_REQUESTED']);

function SelectBox(props: {
  label: string;
  selected: boolean;
  indeterminate?: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <Checkbox
      aria-label={props.label}
      className="checkbox"
      isSelected={props.selected}
      isIndeterminate={props.indeterminate}
      onChange={props.onChange}
    >
      <span className="checkbox-box" aria-hidden="true" />
    </Checkbox>
  );
}

/** The queue: a row per application to select, open and decide; the review's facts open beneath it. */
export function ApplicationsTable(props: {
  applications: Application[];
  selected: ReadonlySet<string>;
  onSelect: (selected: ReadonlySet<string>) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const { applications, selected, onSelect } = props;
  const chosen = applications.filter((a) => selected.has(a.id)).length;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelect(next);
  };
  return (
    <table className="table review-table" data-testid="applications">
      <caption className="visually-hidden">{t('admin.review.applications.heading')}</caption>
      <thead>
        <tr>
          <td>
            <SelectBox
              label={t('admin.review.applications.selectAll')}
              selected={chosen > 0 && chosen === applications.length}
              indeterminate={chosen > 0 && chosen < applications.length}
              onChange={(on) => onSelect(new Set(on ? applications.map((a) => a.id) : []))}
            />
          </td>
          <th scope="col">{t('admin.review.applications.enterprise')}</th>
          <th scope="col">{t('admin.review.applications.programme')}</th>
          <th scope="col">{t('admin.review.applications.requested')}</th>
          <th scope="col">{t('admin.review.applications.submitted')}</th>
          <th scope="col">{t('admin.review.applications.deadline')}</th>
          <th scope="col">{t('admin.review.applications.status')}</th>
          <td />
        </tr>
      </thead>
      <tbody>
        {applications.map((a) => {
          const isOpen = open === a.id;
          return (
            <Fragment key={a.id}>
              <tr data-application={a.id}>
                <td>
                  <SelectBox
                    label={t('admin.review.applications.select', { name: a.enterpriseName })}
                    selected={selected.has(a.id)}
                    onChange={(on) => toggle(a.id, on)}
                  />
                </td>
                <th scope="row">
                  <Link to="/applications/$id" params={{ id: a.id }}>
                    {a.enterpriseName}
                  </Link>
                </th>
                <td>{a.programmeName}</td>
                <td>
                  <Money fen={a.requestedAmountFen} />
                </td>
                <td>
                  <When at={a.createdAt} />
                </td>
                <td>
                  {a.awaiting?.dueAt ? (
                    <When at={a.awaiting.dueAt} />
                  ) : (
                    t('admin.review.applications.noDeadline')
                  )}
                </td>
                <td>
                  <Status status={a.status} />
                </td>
                <td>
                  <Button
                    className="button secondary"
                    aria-expanded={isOpen}
                    aria-controls={isOpen ? `review-${a.id}` : undefined}
                    onPress={() => setOpen(isOpen ? null : a.id)}
                  >
                    {t(
                      isOpen ? 'admin.review.applications.hideDetails' : 'admin.review.applications.details',
                      {
                        name: a.enterpriseName,
                      },
                    )}
                  </Button>
                </td>
              </tr>
              {isOpen ? (
                <tr id={`review-${a.id}`} className="review-details">
                  <td colSpan={COLUMNS}>
                    <ReviewFacts applicationId={a.id} version={`${a.status}:${a.revision}`} />
                    {DECIDABLE.has(a.status) ? <DecisionForm application={a} /> : null}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
