import { formatDate, formatFen } from '../layout';
import { defineTemplate } from '../template';

interface ClaimMail {
  claimId: string;
  bookingId: string;
  providerName: string;
  enterpriseName: string;
  amountFen: number;
}

interface RemittanceLineMail {
  claimId: string;
  bookingId: string;
  voucherCode: string;
  enterpriseName: string;
  amountFen: number;
}

const claimLink = (id: string) => `/api/v1/claims/${id}`;

export const settlementTemplates = {
  claimNeedsReview: defineTemplate<ClaimMail & { flags: string[] }>({
    'zh-CN': (d, ctx) => ({
      subject: `【补贴申领待审核】${d.providerName}：${formatFen(d.amountFen, 'zh-CN')}`,
      greeting: '管理员您好：',
      paragraphs: [
        d.flags.length ? '该申领触发以下风险提示，请审核：' : '该申领金额超过自动审批额度，请审核。',
        ...d.flags.map((flag, i) => `${i + 1}. ${flag}`),
      ],
      facts: [
        ['申领编号', d.claimId],
        ['企业', d.enterpriseName],
        ['金额', formatFen(d.amountFen, 'zh-CN')],
      ],
      action: { label: '审核申领', url: ctx.link(claimLink(d.claimId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Claim to review] ${d.providerName}: ${formatFen(d.amountFen, 'en')}`,
      greeting: 'Hello,',
      paragraphs: [
        d.flags.length
          ? 'This claim raised the following flags:'
          : 'This claim is above the automatic approval threshold.',
        ...d.flags.map((flag, i) => `${i + 1}. ${flag}`),
      ],
      facts: [
        ['Claim', d.claimId],
        ['Enterprise', d.enterpriseName],
        ['Amount', formatFen(d.amountFen, 'en')],
      ],
      action: { label: 'Review claim', url: ctx.link(claimLink(d.claimId)) },
    }),
  }),

  claimDecided: defineTemplate<ClaimMail & { status: string; reason: string; automatic: boolean }>({
    'zh-CN': (d, ctx) => ({
      subject: `【补贴申领${d.status === 'REJECTED' ? '未通过' : '已批准'}】${formatFen(d.amountFen, 'zh-CN')}`,
      greeting: `${d.providerName}：`,
      paragraphs: [
        d.status === 'REJECTED'
          ? `您的补贴申领未通过审核。原因：${d.reason}`
          : d.automatic
            ? '您的补贴申领已自动批准，将在下一个结算批次中支付。'
            : '您的补贴申领已批准，将在下一个结算批次中支付。',
      ],
      facts: [
        ['申领编号', d.claimId],
        ['企业', d.enterpriseName],
        ['金额', formatFen(d.amountFen, 'zh-CN')],
      ],
      action: { label: '查看申领', url: ctx.link(claimLink(d.claimId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Claim ${d.status === 'REJECTED' ? 'rejected' : 'approved'}] ${formatFen(d.amountFen, 'en')}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        d.status === 'REJECTED'
          ? `Your claim was rejected. Reason: ${d.reason}`
          : `Your claim was approved${d.automatic ? ' automatically' : ''} and will be paid in the next payout batch.`,
      ],
      facts: [
        ['Claim', d.claimId],
        ['Enterprise', d.enterpriseName],
        ['Amount', formatFen(d.amountFen, 'en')],
      ],
      action: { label: 'View claim', url: ctx.link(claimLink(d.claimId)) },
    }),
  }),

  payoutRemittance: defineTemplate<{
    batchId: string;
    reference: string;
    amountFen: number;
    lines: RemittanceLineMail[];
  }>({
    'zh-CN': (d, ctx) => ({
      subject: `【补贴到账通知】${formatFen(d.amountFen, 'zh-CN')}，流水号 ${d.reference}`,
      greeting: '您好：',
      paragraphs: [
        `本批次（${d.batchId}）向贵机构转账 ${formatFen(d.amountFen, 'zh-CN')}，明细如下：`,
        ...d.lines.map(
          (l) =>
            `检测券 ${l.voucherCode}｜${l.enterpriseName}｜预约 ${l.bookingId}｜${formatFen(l.amountFen, 'zh-CN')}`,
        ),
      ],
      facts: [
        ['转账流水号', d.reference],
        ['金额', formatFen(d.amountFen, 'zh-CN')],
      ],
      action: { label: '查看申领', url: ctx.link('/api/v1/claims?status=PAID') },
    }),
    en: (d, ctx) => ({
      subject: `[Remittance] ${formatFen(d.amountFen, 'en')}, reference ${d.reference}`,
      greeting: 'Hello,',
      paragraphs: [
        `Payout batch ${d.batchId} transferred ${formatFen(d.amountFen, 'en')} to you for:`,
        ...d.lines.map(
          (l) =>
            `voucher ${l.voucherCode} | ${l.enterpriseName} | booking ${l.bookingId} | ${formatFen(l.amountFen, 'en')}`,
        ),
      ],
      facts: [
        ['Reference', d.reference],
        ['Amount', formatFen(d.amountFen, 'en')],
      ],
      action: { label: 'View claims', url: ctx.link('/api/v1/claims?status=PAID') },
    }),
  }),
  claimReviewReminder: defineTemplate<ClaimMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【提醒】补贴申领待审核：${d.providerName}：${formatFen(d.amountFen, 'zh-CN')}`,
      greeting: '管理员您好：',
      paragraphs: [`该补贴申领自 ${formatDate(d.waitingSince)} 起等待审核。`],
      facts: [
        ['申领编号', d.claimId],
        ['企业', d.enterpriseName],
        ['金额', formatFen(d.amountFen, 'zh-CN')],
      ],
      action: { label: '审核申领', url: ctx.link(claimLink(d.claimId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Reminder] Claim to review: ${d.providerName}: ${formatFen(d.amountFen, 'en')}`,
      greeting: 'Hello,',
      paragraphs: [`This claim has been waiting for a decision since ${formatDate(d.waitingSince)}.`],
      facts: [
        ['Claim', d.claimId],
        ['Enterprise', d.enterpriseName],
        ['Amount', formatFen(d.amountFen, 'en')],
      ],
      action: { label: 'Review claim', url: ctx.link(claimLink(d.claimId)) },
    }),
  }),
  claimReviewEscalation: defineTemplate<ClaimMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【升级处理】补贴申领逾期未审核：${d.providerName}：${formatFen(d.amountFen, 'zh-CN')}`,
      greeting: '您好：',
      paragraphs: [`该补贴申领自 ${formatDate(d.waitingSince)} 起仍未审核，已超过审核时限。`],
      facts: [
        ['申领编号', d.claimId],
        ['企业', d.enterpriseName],
        ['金额', formatFen(d.amountFen, 'zh-CN')],
      ],
      action: { label: '审核申领', url: ctx.link(claimLink(d.claimId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Escalated] Claim overdue for review: ${d.providerName}: ${formatFen(d.amountFen, 'en')}`,
      greeting: 'Hello,',
      paragraphs: [
        `This claim has been waiting for a decision since ${formatDate(d.waitingSince)}, past the review deadline.`,
      ],
      facts: [
        ['Claim', d.claimId],
        ['Enterprise', d.enterpriseName],
        ['Amount', formatFen(d.amountFen, 'en')],
      ],
      action: { label: 'Review claim', url: ctx.link(claimLink(d.claimId)) },
    }),
  }),
};
