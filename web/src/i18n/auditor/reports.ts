import type { Strings } from '../strings';

/** The KPI dashboard and the settlements download, in Chinese. */
export const reportsZh = {
  title: '统计报表',
};

/** The KPI dashboard and the settlements download, in English. */
export const reportsEn: Strings<typeof reportsZh> = {
  title: 'Reports',
};
