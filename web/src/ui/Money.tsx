import { useTranslation } from 'react-i18next';
import { formatDay, formatInstant } from './dates';
import { formatFen } from './money';

/** An amount of integer fen, shown as yuan with two decimals. */
export function Money({ fen }: { fen: number }) {
  const { i18n } = useTranslation();
  return <span className="money">{formatFen(fen, i18n.language)}</span>;
}

/** An instant on the Shanghai clock. */
export function When({ at }: { at: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={at}>{formatInstant(at, i18n.language)}</time>;
}

/** A calendar day (YYYY-MM-DD). */
export function Day({ date }: { date: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={date}>{formatDay(date, i18n.language)}</time>;
}
