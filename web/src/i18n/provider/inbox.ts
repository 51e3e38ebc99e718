import type { Strings } from '../strings';

/** The provider's booking inbox page, in Chinese. */
export const inboxZh = {
  title: '预约收件箱',
};

export const inboxEn: Strings<typeof inboxZh> = {
  title: 'Booking inbox',
};
