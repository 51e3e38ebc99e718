import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Loading } from './buttons';
import { ProblemMessage } from './ProblemMessage';

/**
 * A titled list read from the service: loading shown while it comes, the service's refusal in
 * words, a sentence when it is empty, else a table with a column heading each and a row per item
 * (`row` gives the `<tr>`, its first cell the row's heading).
 */
export function ListSection<Item>({
  id,
  heading,
  empty,
  list,
  columns,
  row,
}: {
  id: string;
  heading: string;
  empty: string;
  list: UseQueryResult<{ items: Item[] }>;
  columns: string[];
  row: (item: Item) => ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {list.isPending ? <Loading /> : null}
      <ProblemMessage error={list.error} />
      {list.data?.items.length === 0 ? <p>{empty}</p> : null}
      {list.data?.items.length ? (
        <table className="table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{list.data.items.map(row)}</tbody>
        </table>
      ) : null}
    </section>
  );
}
