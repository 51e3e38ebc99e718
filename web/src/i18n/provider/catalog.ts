import type { Strings } from '../strings';

/** The provider's service catalog page, in Chinese. */
export const catalogZh = {
  title: '服务目录',
};

export const catalogEn: Strings<typeof catalogZh> = {
  title: 'Service catalog',
};
