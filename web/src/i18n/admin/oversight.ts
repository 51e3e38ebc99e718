import type { Strings } from '../strings';

/** The administrator’s oversight queues: claims, disputes, processes, and revocation, in Chinese. */
export const oversightZh = {
  title: '申领、争议与流程',
};

/** The administrator’s oversight queues: claims, disputes, processes, and revocation, in English. */
export const oversightEn: Strings<typeof oversightZh> = {
  title: 'Claims, disputes and processes',
};
