import type { Strings } from '../strings';

/** The provider's onboarding page, in Chinese. */
export const onboardingZh = {
  title: '机构入驻',
};

export const onboardingEn: Strings<typeof onboardingZh> = {
  title: 'Onboarding',
};
