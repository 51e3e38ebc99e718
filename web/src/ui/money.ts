/**
 * Money arrives as integer fen and is shown as yuan with two decimals. The arithmetic is BigInt
 * from start to end, so no binary fraction ever stands between the fen and the digits shown.
 */
const YUAN_FORMAT: Record<string, Intl.NumberFormat> = {};

function groupFormat(locale: string): Intl.NumberFormat {
  YUAN_FORMAT[locale] ??= new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 });
  return YUAN_FORMAT[locale];
}

/** `123456` fen → `"1,234.56"` */
export function yuanDigits(fen: number, locale = 'zh-CN'): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of fen`);
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = groupFormat(locale).format(abs / 100n);
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** `123456` fen → `"¥1,234.56"` in Chinese, `"CNY 1,234.56"` in English. */
export function formatFen(fen: number, locale = 'zh-CN'): string {
  const digits = yuanDigits(fen, locale);
  return locale.startsWith('zh') ? `¥${digits}` : `CNY ${digits}`;
}

const YUAN_INPUT = /^(\d{1,14})(?:\.(\d{1,2}))?$/;

/** What a person types as yuan (`"1,500.5"`) → integer fen (`150050`), or null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const match = YUAN_INPUT.exec(text.trim().replaceAll(',', '').replaceAll('，', ''));
  if (!match) return null;
  const fen = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return fen <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(fen) : null;
}
