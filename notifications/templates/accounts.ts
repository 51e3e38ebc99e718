import { defineTemplate } from '../template';

/** A mailed single-use link: the token travels in the query, never stored as such by the service. */
export interface AccountLinkData {
  displayName: string;
  /** portal path with the token, e.g. `/reset-password?token=…` */
  path: string;
  /** when the link stops working (ISO) */
  expiresAt: string;
}

export interface InvitationData extends AccountLinkData {
  organisationName: string;
  invitedBy: string;
}

export interface PasswordChangedData {
  displayName: string;
  /** ISO */
  at: string;
  /** `change` from the account page, `reset` by a mailed link */
  how: 'change' | 'reset';
}

/** A moment in the service's own zone, whatever the server's is: minutes are enough in a mail. */
function shanghaiTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

const zhTime = (iso: string) => `${shanghaiTime(iso)}（北京时间）`;
const enTime = (iso: string) => `${shanghaiTime(iso)} (Beijing time)`;

export const accountTemplates = {
  passwordReset: defineTemplate<AccountLinkData>({
    'zh-CN': (d, ctx) => ({
      subject: '重置您的检测券服务密码',
      greeting: `${d.displayName}，您好：`,
      paragraphs: [
        '我们收到了重置您账户密码的请求。请点击下方链接设置新密码；链接只能使用一次。',
        '如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。',
      ],
      facts: [['链接有效期至', zhTime(d.expiresAt)]],
      action: { label: '设置新密码', url: ctx.link(d.path) },
    }),
    en: (d, ctx) => ({
      subject: 'Reset your testing-voucher service password',
      greeting: `Hello ${d.displayName},`,
      paragraphs: [
        'We were asked to reset the password of your account. Follow the link below to choose a new one; it works once.',
        'If you did not ask for this, ignore this message: your password stays as it is.',
      ],
      facts: [['Link valid until', enTime(d.expiresAt)]],
      action: { label: 'Choose a new password', url: ctx.link(d.path) },
    }),
  }),
  accountSetup: defineTemplate<AccountLinkData>({
    'zh-CN': (d, ctx) => ({
      subject: '您的检测券服务账户已开通',
      greeting: `${d.displayName}，您好：`,
      paragraphs: [
        '管理员为您开通了检测券服务的账户。请点击下方链接设置您的密码，然后用本邮箱登录；链接只能使用一次。',
      ],
      facts: [['链接有效期至', zhTime(d.expiresAt)]],
      action: { label: '设置密码', url: ctx.link(d.path) },
    }),
    en: (d, ctx) => ({
      subject: 'Your testing-voucher service account is ready',
      greeting: `Hello ${d.displayName},`,
      paragraphs: [
        'An administrator opened an account for you. Follow the link below to choose your password, then sign in with this e-mail; the link works once.',
      ],
      facts: [['Link valid until', enTime(d.expiresAt)]],
      action: { label: 'Choose your password', url: ctx.link(d.path) },
    }),
  }),
  emailVerification: defineTemplate<AccountLinkData>({
    'zh-CN': (d, ctx) => ({
      subject: '请确认您的电子邮箱',
      greeting: `${d.displayName}，您好：`,
      paragraphs: [
        '感谢您注册检测券服务。请点击下方链接确认这是您的邮箱；确认后，您的单位才能提交第一份申请或发布服务目录。',
      ],
      facts: [['链接有效期至', zhTime(d.expiresAt)]],
      action: { label: '确认邮箱', url: ctx.link(d.path) },
    }),
    en: (d, ctx) => ({
      subject: 'Please confirm your e-mail address',
      greeting: `Hello ${d.displayName},`,
      paragraphs: [
        'Thank you for registering with the testing-voucher service. Follow the link below to confirm this address is yours; your organisation can submit its first application or publish its catalog once you have.',
      ],
      facts: [['Link valid until', enTime(d.expiresAt)]],
      action: { label: 'Confirm my e-mail', url: ctx.link(d.path) },
    }),
  }),
  invitation: defineTemplate<InvitationData>({
    'zh-CN': (d, ctx) => ({
      subject: `${d.invitedBy} 邀请您加入 ${d.organisationName}`,
      greeting: `${d.displayName}，您好：`,
      paragraphs: [
        `${d.invitedBy} 邀请您以同事身份加入 ${d.organisationName} 在检测券服务中的账户。`,
        '请点击下方链接设置密码并加入；链接只能使用一次。如您不认识邀请人，请忽略本邮件。',
      ],
      facts: [
        ['单位', d.organisationName],
        ['链接有效期至', zhTime(d.expiresAt)],
      ],
      action: { label: '接受邀请', url: ctx.link(d.path) },
    }),
    en: (d, ctx) => ({
      subject: `${d.invitedBy} invites you to join ${d.organisationName}`,
      greeting: `Hello ${d.displayName},`,
      paragraphs: [
        `${d.invitedBy} invites you to join ${d.organisationName} on the testing-voucher service as a colleague.`,
        'Follow the link below to choose your password and join; it works once. If you do not know who invited you, ignore this message.',
      ],
      facts: [
        ['Organisation', d.organisationName],
        ['Link valid until', enTime(d.expiresAt)],
      ],
      action: { label: 'Accept the invitation', url: ctx.link(d.path) },
    }),
  }),
  passwordChanged: defineTemplate<PasswordChangedData>({
    'zh-CN': (d, ctx) => ({
      subject: '您的密码已更改',
      greeting: `${d.displayName}，您好：`,
      paragraphs: [
        d.how === 'reset'
          ? `您的密码已于 ${zhTime(d.at)} 通过邮件链接重置，此前所有登录均已退出。`
          : `您的密码已于 ${zhTime(d.at)} 更改，其他设备上的登录均已退出。`,
        '如果这不是您本人的操作，请立即通过“忘记密码”重置密码，并联系管理员。',
      ],
      action: { label: '忘记密码', url: ctx.link('/forgot-password') },
    }),
    en: (d, ctx) => ({
      subject: 'Your password was changed',
      greeting: `Hello ${d.displayName},`,
      paragraphs: [
        d.how === 'reset'
          ? `Your password was reset by a mailed link at ${enTime(d.at)}; every earlier session was signed out.`
          : `Your password was changed at ${enTime(d.at)}; your sessions on other devices were signed out.`,
        'If this was not you, reset your password at once with “Forgot password” and tell an administrator.',
      ],
      action: { label: 'Forgot password', url: ctx.link('/forgot-password') },
    }),
  }),
};
