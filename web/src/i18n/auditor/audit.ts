import type { Strings } from '../strings';

/** The audit explorer, in Chinese. */
export const auditZh = {
  title: '审计日志',
};

/** The audit explorer, in English. */
export const auditEn: Strings<typeof auditZh> = {
  title: 'Audit log',
};
