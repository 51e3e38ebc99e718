import type { Strings } from '../strings';

/** The provider's claims and payments page, in Chinese. */
export const claimsZh = {
  title: '结算与收款',
};

export const claimsEn: Strings<typeof claimsZh> = {
  title: 'Claims and payments',
};
