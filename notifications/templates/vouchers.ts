import { formatDate, formatFen } from '../layout';
import { defineTemplate } from '../template';

interface VoucherMail {
  voucherId: string;
  code: string;
  programmeName: string;
  enterpriseName: string;
}

const voucherLink = (id: string) => `/api/v1/vouchers/${id}`;

export const voucherTemplates = {
  voucherIssued: defineTemplate<VoucherMail & { faceValueFen: number; validUntil: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】申请已批准，检测券 ${d.code} 已发放`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['您的检测券申请已获批准。请在有效期内通过服务匹配选择检测机构并预约。'],
      facts: [
        ['检测券编号', d.code],
        ['面额', formatFen(d.faceValueFen, 'zh-CN')],
        ['有效期至', formatDate(d.validUntil)],
        ['项目', d.programmeName],
      ],
      action: { label: '查看检测券', url: ctx.link(voucherLink(d.voucherId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Approved: voucher ${d.code} issued`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'Your application was approved. Find a provider through matching and book before the voucher expires.',
      ],
      facts: [
        ['Voucher', d.code],
        ['Face value', formatFen(d.faceValueFen, 'en')],
        ['Valid until', formatDate(d.validUntil)],
        ['Programme', d.programmeName],
      ],
      action: { label: 'View voucher', url: ctx.link(voucherLink(d.voucherId)) },
    }),
  }),

  voucherExpiryWarning: defineTemplate<
    VoucherMail & { balanceFen: number; validUntil: string; warning: string }
  >({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券到期提醒】${d.code} 将于 ${formatDate(d.validUntil)} 到期`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['您的检测券即将到期，到期后未使用的余额将收回。请尽快预约检测服务。'],
      facts: [
        ['检测券编号', d.code],
        ['可用余额', formatFen(d.balanceFen, 'zh-CN')],
        ['到期时间', formatDate(d.validUntil)],
      ],
      action: { label: '查看检测券', url: ctx.link(voucherLink(d.voucherId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Expiry warning] Voucher ${d.code} expires on ${formatDate(d.validUntil)}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'Your voucher expires soon; its unused balance then returns to the programme. Book a service before then.',
      ],
      facts: [
        ['Voucher', d.code],
        ['Balance', formatFen(d.balanceFen, 'en')],
        ['Expires', formatDate(d.validUntil)],
      ],
      action: { label: 'View voucher', url: ctx.link(voucherLink(d.voucherId)) },
    }),
  }),

  voucherExpired: defineTemplate<VoucherMail & { releasedFen: number }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】${d.code} 已到期`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['您的检测券已到期，未使用的余额已退回项目资金。进行中的预约将正常完成。'],
      facts: [
        ['检测券编号', d.code],
        ['退回金额', formatFen(d.releasedFen, 'zh-CN')],
      ],
      action: { label: '查看检测券', url: ctx.link(voucherLink(d.voucherId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Voucher ${d.code} expired`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'Your voucher has expired; its unused balance went back to the programme. Bookings under way finish normally.',
      ],
      facts: [
        ['Voucher', d.code],
        ['Returned to the programme', formatFen(d.releasedFen, 'en')],
      ],
      action: { label: 'View voucher', url: ctx.link(voucherLink(d.voucherId)) },
    }),
  }),

  voucherRevoked: defineTemplate<VoucherMail & { reason: string; releasedFen: number }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】${d.code} 已被撤销`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['您的检测券已被项目管理部门撤销，未完成的预约已取消。原因：', d.reason],
      facts: [
        ['检测券编号', d.code],
        ['收回金额', formatFen(d.releasedFen, 'zh-CN')],
      ],
      action: { label: '查看检测券', url: ctx.link(voucherLink(d.voucherId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Voucher ${d.code} revoked`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'The programme administrator revoked your voucher and cancelled its open bookings. Reason:',
        d.reason,
      ],
      facts: [
        ['Voucher', d.code],
        ['Returned to the programme', formatFen(d.releasedFen, 'en')],
      ],
      action: { label: 'View voucher', url: ctx.link(voucherLink(d.voucherId)) },
    }),
  }),
};
