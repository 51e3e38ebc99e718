import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Choice, TextInput } from '../../ui/fields';
import type { SortOrder } from './queue';

/** A queue's status, order and name search, plus what else the queue filters on. */
export function QueueFilters<Status extends string>(props: {
  statuses: { id: Status; label: string }[];
  status: Status;
  onStatus: (status: Status) => void;
  search: string;
  onSearch: (search: string) => void;
  searchHint: string;
  sort: SortOrder;
  onSort: (sort: SortOrder) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="fieldset queue-filters">
      <legend>{t('admin.review.filter.legend')}</legend>
      <Choice<Status>
        name="status"
        label={t('admin.review.filter.status')}
        options={props.statuses}
        value={props.status}
        onChange={(value) => value && props.onStatus(value)}
      />
      {props.children}
      <TextInput
        name="search"
        type="text"
        label={t('admin.review.filter.search')}
        description={props.searchHint}
        value={props.search}
        onChange={props.onSearch}
      />
      <Choice<SortOrder>
        name="sort"
        label={t('admin.review.filter.sort')}
        options={[
          { id: 'oldest', label: t('admin.review.filter.oldest') },
          { id: 'deadline', label: t('admin.review.filter.deadline') },
        ]}
        value={props.sort}
        onChange={(value) => value && props.onSort(value)}
      />
    </fieldset>
  );
}
