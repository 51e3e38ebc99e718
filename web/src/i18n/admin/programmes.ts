import type { Strings } from '../strings';

/** The administrator’s programmes: creation form and programme page, in Chinese. */
export const programmesZh = {
  title: '项目与预算',
};

/** The administrator’s programmes: creation form and programme page, in English. */
export const programmesEn: Strings<typeof programmesZh> = {
  title: 'Programmes and budgets',
};
