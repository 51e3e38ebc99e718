import type { Strings } from '../strings';

/** The provider's capacity calendar page, in Chinese. */
export const calendarZh = {
  title: '检测能力日历',
};

export const calendarEn: Strings<typeof calendarZh> = {
  title: 'Capacity calendar',
};
