import type { Strings } from '../strings';

/** The administrator’s review queues: applications and providers, in Chinese. */
export const reviewZh = {
  title: '申请与机构审核',
};

/** The administrator’s review queues: applications and providers, in English. */
export const reviewEn: Strings<typeof reviewZh> = {
  title: 'Applications and providers to review',
};
