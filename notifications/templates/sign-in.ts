import { defineTemplate } from '../template';

export interface SignInAttackData {
  /** the account's e-mail */
  email: string;
  failures: number;
  /** when the window of counted failures began (ISO) */
  since: string;
  /** the address of the latest failure */
  lastAddress: string;
}

const auditLink = (email: string) => `/api/v1/audit?entityType=sign-in&entityId=${encodeURIComponent(email)}`;

export const signInTemplates = {
  signInAttack: defineTemplate<SignInAttackData>({
    'zh-CN': (d, ctx) => ({
      subject: `[安全] 账户 ${d.email} 登录失败次数异常`,
      greeting: '管理员，您好：',
      paragraphs: [
        `自 ${d.since} 起，账户 ${d.email} 已有 ${d.failures} 次登录失败，可能有人在猜测其密码。`,
        '每个来源地址的失败都会使该地址等待更久；账户本人从其他地址登录不受影响。本时段内不再重复提醒。',
        '如有疑问，请联系账户本人，并在审计日志中查看这些登录记录。',
      ],
      facts: [
        ['账户', d.email],
        ['失败次数', String(d.failures)],
        ['最近来源地址', d.lastAddress],
      ],
      action: { label: '查看登录记录', url: ctx.link(auditLink(d.email)) },
    }),
    en: (d, ctx) => ({
      subject: `[security] unusual number of failed sign-ins to ${d.email}`,
      greeting: 'Hello administrator,',
      paragraphs: [
        `Since ${d.since}, sign-in to the account ${d.email} has failed ${d.failures} times: someone may be guessing its password.`,
        'Each failure makes its address wait longer; the owner signing in from another address is not held up. You will not be told again within this period.',
        'If in doubt, contact the account holder and read these sign-ins in the audit log.',
      ],
      facts: [
        ['Account', d.email],
        ['Failures', String(d.failures)],
        ['Latest address', d.lastAddress],
      ],
      action: { label: 'Sign-ins in the audit log', url: ctx.link(auditLink(d.email)) },
    }),
  }),
};
