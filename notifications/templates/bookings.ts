import type { Locale, Message } from '../layout';
import { formatDate, formatFen } from '../layout';
import { defineTemplate, type TemplateContext } from '../template';

interface BookingMail {
  bookingId: string;
  enterpriseName: string;
  providerName: string;
  standards: string;
  sampleCount: number;
  scheduledDate: string;
  quotedPriceFen: number;
  subsidyFen: number;
  copaymentFen: number;
}

export interface CandidateMail {
  providerName: string;
  quotedPriceFen: number;
  completionDate: string;
  score: number;
}

const link = (ctx: TemplateContext, d: BookingMail, suffix = '') =>
  ctx.link(`/api/v1/bookings/${d.bookingId}${suffix}`);

function facts(d: BookingMail, locale: Locale): [string, string][] {
  return locale === 'zh-CN'
    ? [
        ['预约编号', d.bookingId],
        ['企业', d.enterpriseName],
        ['检测机构', d.providerName],
        ['检测标准', d.standards],
        ['样品数', String(d.sampleCount)],
        ['开始日期', d.scheduledDate],
        ['报价', formatFen(d.quotedPriceFen, locale)],
        ['检测券补贴', formatFen(d.subsidyFen, locale)],
        ['企业自付', formatFen(d.copaymentFen, locale)],
      ]
    : [
        ['Booking', d.bookingId],
        ['Enterprise', d.enterpriseName],
        ['Provider', d.providerName],
        ['Standards', d.standards],
        ['Samples', String(d.sampleCount)],
        ['Start', d.scheduledDate],
        ['Price', formatFen(d.quotedPriceFen, locale)],
        ['Voucher subsidy', formatFen(d.subsidyFen, locale)],
        ['Co-payment', formatFen(d.copaymentFen, locale)],
      ];
}

/** A message about a booking in both languages, with its facts and a link to it. */
function bookingTemplate<Extra = object>(
  texts: Record<
    Locale,
    (d: BookingMail & Extra) => { subject: string; greeting: string; paragraphs: string[] }
  >,
  suffix = '',
) {
  const render =
    (locale: Locale) =>
    (d: BookingMail & Extra, ctx: TemplateContext): Message => ({
      ...texts[locale](d),
      facts: facts(d, locale),
      action: { label: locale === 'zh-CN' ? '查看预约' : 'View booking', url: link(ctx, d, suffix) },
    });
  return defineTemplate<BookingMail & Extra>({ 'zh-CN': render('zh-CN'), en: render('en') });
}

function candidateLines(candidates: CandidateMail[], locale: Locale): string[] {
  if (!candidates.length) {
    return [
      locale === 'zh-CN'
        ? '暂无其他符合条件的机构，请调整需求后重新匹配。'
        : 'No other provider fits the demand now; adjust it and match again.',
    ];
  }
  return [
    locale === 'zh-CN'
      ? '以下机构同样符合您的需求，可直接预约：'
      : 'These providers also fit your demand and can be booked now:',
    ...candidates.map((c, i) =>
      locale === 'zh-CN'
        ? `${i + 1}. ${c.providerName}：报价 ${formatFen(c.quotedPriceFen, locale)}，预计 ${c.completionDate} 完成（匹配分 ${c.score}）`
        : `${i + 1}. ${c.providerName}: ${formatFen(c.quotedPriceFen, locale)}, done by ${c.completionDate} (score ${c.score})`,
    ),
  ];
}

export const bookingTemplates = {
  bookingRequested: bookingTemplate<{ confirmWithin: string }>({
    'zh-CN': (d) => ({
      subject: `【新预约】${d.enterpriseName} 使用检测券预约检测`,
      greeting: `${d.providerName}：`,
      paragraphs: [`请在 ${d.confirmWithin} 内确认（可调整报价与日期）或拒绝，逾期名额将释放。`],
    }),
    en: (d) => ({
      subject: `[New booking] ${d.enterpriseName} booked a voucher-funded test`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        `Please confirm (with your quote and date) or decline within ${d.confirmWithin}; after that the slot is released.`,
      ],
    }),
  }),
  bookingConfirmed: bookingTemplate({
    'zh-CN': (d) => ({
      subject: `【预约已确认】${d.providerName} 已确认您的检测预约`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['检测机构已确认预约。请按约定日期送样，并向机构支付自付部分。'],
    }),
    en: (d) => ({
      subject: `[Booking confirmed] ${d.providerName} confirmed your booking`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'The provider confirmed. Please deliver the samples on the agreed date and pay your co-payment to the provider.',
      ],
    }),
  }),
  bookingDeclined: bookingTemplate<{ reason: string; candidates: CandidateMail[] }>({
    'zh-CN': (d) => ({
      subject: `【预约未被接受】${d.providerName} 拒绝了您的预约`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [`原因：${d.reason}。检测券额度已退回。`, ...candidateLines(d.candidates, 'zh-CN')],
    }),
    en: (d) => ({
      subject: `[Booking declined] ${d.providerName} declined your booking`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        `Reason: ${d.reason}. The voucher amount is available again.`,
        ...candidateLines(d.candidates, 'en'),
      ],
    }),
  }),
  bookingConfirmationExpired: bookingTemplate<{ reason: string; candidates: CandidateMail[] }>({
    'zh-CN': (d) => ({
      subject: `【预约已超时】${d.providerName} 未在时限内确认`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [
        '检测机构未在规定时间内确认，预约已释放，检测券额度已退回。',
        ...candidateLines(d.candidates, 'zh-CN'),
      ],
    }),
    en: (d) => ({
      subject: `[Booking expired] ${d.providerName} did not confirm in time`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'The provider did not confirm in time; the slot was released and the voucher amount is available again.',
        ...candidateLines(d.candidates, 'en'),
      ],
    }),
  }),
  bookingMissed: bookingTemplate({
    'zh-CN': (d) => ({
      subject: `【预约已释放】未在时限内确认 ${d.enterpriseName} 的预约`,
      greeting: `${d.providerName}：`,
      paragraphs: ['该预约未在确认时限内处理，名额已释放，企业将选择其他机构。此情况会计入机构服务记录。'],
    }),
    en: (d) => ({
      subject: `[Booking released] ${d.enterpriseName}'s booking was not confirmed in time`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        'This booking was not confirmed in time; the slot was released and the enterprise will choose another provider.',
      ],
    }),
  }),
  bookingCancelled: bookingTemplate<{ reason: string }>({
    'zh-CN': (d) => ({
      subject: `【预约已取消】${d.enterpriseName} 的检测预约`,
      greeting: '您好：',
      paragraphs: [`该预约已取消。原因：${d.reason}`],
    }),
    en: (d) => ({
      subject: `[Booking cancelled] ${d.enterpriseName}'s booking`,
      greeting: 'Hello,',
      paragraphs: [`The booking was cancelled. Reason: ${d.reason}`],
    }),
  }),
  reportReminder: bookingTemplate<{ dueAt: string }>(
    {
      'zh-CN': (d) => ({
        subject: `【报告到期提醒】${d.enterpriseName} 的检测报告应于 ${formatDate(d.dueAt)} 出具`,
        greeting: `${d.providerName}：`,
        paragraphs: ['该预约的检测周期已到，请尽快上传检测报告（PDF）。'],
      }),
      en: (d) => ({
        subject: `[Report due] ${d.enterpriseName}'s report was due on ${formatDate(d.dueAt)}`,
        greeting: `Dear ${d.providerName},`,
        paragraphs: ['The turnaround of this booking has passed; please upload the test report (PDF).'],
      }),
    },
    '/report',
  ),
  reportEscalation: bookingTemplate<{ dueAt: string }>({
    'zh-CN': (d) => ({
      subject: `【报告逾期升级】${d.providerName} 未按期出具检测报告`,
      greeting: '您好：',
      paragraphs: [`该预约的检测报告应于 ${formatDate(d.dueAt)} 出具，已超过宽限期，现升级处理。`],
    }),
    en: (d) => ({
      subject: `[Escalation] ${d.providerName} is late with a test report`,
      greeting: 'Hello,',
      paragraphs: [
        `The report of this booking was due on ${formatDate(d.dueAt)} and is past its grace period.`,
      ],
    }),
  }),
  reportReady: bookingTemplate<{ acceptWithin: string }>(
    {
      'zh-CN': (d) => ({
        subject: `【检测报告已出具】${d.providerName}`,
        greeting: `${d.enterpriseName}：`,
        paragraphs: [`检测报告已上传，请下载查看，并在 ${d.acceptWithin} 内确认或提出异议；逾期将自动确认。`],
      }),
      en: (d) => ({
        subject: `[Report ready] from ${d.providerName}`,
        greeting: `Dear ${d.enterpriseName},`,
        paragraphs: [
          `The test report is ready. Download it and accept or dispute it within ${d.acceptWithin}; after that it is accepted automatically.`,
        ],
      }),
    },
    '/report',
  ),
  reportAutoAccepted: bookingTemplate<{ acceptWithin: string }>({
    'zh-CN': (d) => ({
      subject: `【报告已自动确认】${d.enterpriseName} 的检测报告`,
      greeting: '您好：',
      paragraphs: [`企业未在 ${d.acceptWithin} 内提出异议，检测报告已自动确认，补贴结算将自动进行。`],
    }),
    en: (d) => ({
      subject: `[Report accepted automatically] ${d.enterpriseName}'s test report`,
      greeting: 'Hello,',
      paragraphs: [
        `No dispute came within ${d.acceptWithin}: the report is accepted and settlement follows.`,
      ],
    }),
  }),
  disputeRaised: bookingTemplate<{ disputeId: string }>({
    'zh-CN': (d) => ({
      subject: `【报告异议】${d.enterpriseName} 对 ${d.providerName} 的检测报告提出异议`,
      greeting: '您好：',
      paragraphs: [`异议编号：${d.disputeId}。请管理员处理（维持、重新检测或取消并退回补贴）。`],
    }),
    en: (d) => ({
      subject: `[Dispute] ${d.enterpriseName} disputes a report of ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `Dispute ${d.disputeId} awaits an administrator's resolution: uphold, retest, or cancel and refund.`,
      ],
    }),
  }),
  disputeResolved: bookingTemplate<{ resolution: string; note: string }>({
    'zh-CN': (d) => ({
      subject: `【异议已处理】${d.enterpriseName} / ${d.providerName}`,
      greeting: '您好：',
      paragraphs: [
        {
          UPHOLD: '处理结果：维持检测报告，进入结算。',
          RETEST: '处理结果：重新检测，请机构重新出具报告。',
          CANCEL_REFUND: '处理结果：取消预约，补贴退回项目资金。',
        }[d.resolution] ?? d.resolution,
        `说明：${d.note}`,
      ],
    }),
    en: (d) => ({
      subject: `[Dispute resolved] ${d.enterpriseName} / ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        {
          UPHOLD: 'Resolution: the report stands; settlement follows.',
          RETEST: 'Resolution: retest; the provider issues a new report.',
          CANCEL_REFUND: 'Resolution: the booking is cancelled and the subsidy refunded to the programme.',
        }[d.resolution] ?? d.resolution,
        `Note: ${d.note}`,
      ],
    }),
  }),
  copaymentDue: bookingTemplate(
    {
      'zh-CN': (d) => ({
        subject: `【待登记自付款】${d.enterpriseName} / ${d.providerName}`,
        greeting: '您好：',
        paragraphs: [
          `报告已确认。请企业向机构支付自付部分 ${formatFen(d.copaymentFen, 'zh-CN')}，并由任一方登记付款凭证号，之后补贴申领自动进行。`,
        ],
      }),
      en: (d) => ({
        subject: `[Co-payment to record] ${d.enterpriseName} / ${d.providerName}`,
        greeting: 'Hello,',
        paragraphs: [
          `The report is accepted. The enterprise pays its co-payment of ${formatFen(d.copaymentFen, 'en')} to the provider, and either side records the payment reference; the subsidy claim then follows automatically.`,
        ],
      }),
    },
    '/copayment',
  ),
  copaymentReminder: bookingTemplate<{ dueAt: string }>(
    {
      'zh-CN': (d) => ({
        subject: `【提醒】自付款尚未登记：${d.enterpriseName} / ${d.providerName}`,
        greeting: '您好：',
        paragraphs: [
          `企业自付部分 ${formatFen(d.copaymentFen, 'zh-CN')} 应于 ${formatDate(d.dueAt)} 前登记，目前仍未登记。请企业付款并由任一方登记付款凭证号；逾期将提交主管部门处理，补贴申领将在缺少凭证的情况下交由管理员审核。`,
        ],
      }),
      en: (d) => ({
        subject: `[Reminder] Co-payment not recorded: ${d.enterpriseName} / ${d.providerName}`,
        greeting: 'Hello,',
        paragraphs: [
          `The enterprise's co-payment of ${formatFen(d.copaymentFen, 'en')} was due to be recorded by ${formatDate(d.dueAt)} and is still missing. Please pay and record the payment reference; otherwise the matter goes to the programme's administrators and the claim is decided without it.`,
        ],
      }),
    },
    '/copayment',
  ),
  copaymentEscalation: bookingTemplate<{ dueAt: string }>({
    'zh-CN': (d) => ({
      subject: `【升级处理】自付款逾期未登记：${d.enterpriseName} / ${d.providerName}`,
      greeting: '您好：',
      paragraphs: [
        `企业自付部分 ${formatFen(d.copaymentFen, 'zh-CN')} 在提醒后仍未登记（应于 ${formatDate(d.dueAt)} 前登记）。补贴申领现已提交管理员审核，并标注“自付款未登记”。`,
      ],
    }),
    en: (d) => ({
      subject: `[Escalated] Co-payment never recorded: ${d.enterpriseName} / ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `The enterprise's co-payment of ${formatFen(d.copaymentFen, 'en')} is still not recorded after the reminder (it was due by ${formatDate(d.dueAt)}). The subsidy claim now goes to an administrator, flagged "co-payment not recorded".`,
      ],
    }),
  }),
  bookingLapsed: bookingTemplate<{ reason: string }>({
    'zh-CN': (d) => ({
      subject: `【预约已失效】样品未按时送达：${d.providerName}`,
      greeting: '您好：',
      paragraphs: [
        `由于样品未在规定时间内送达，本次预约已失效（${d.reason}）。预留的检测名额已释放，补贴 ${formatFen(d.subsidyFen, 'zh-CN')} 已退回检测券（检测券已结束时退回项目预算）。`,
      ],
    }),
    en: (d) => ({
      subject: `[Booking lapsed] Samples did not arrive: ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `The samples did not reach the provider in time, so the booking lapsed (${d.reason}). The held capacity is released and the ${formatFen(d.subsidyFen, 'en')} subsidy went back to the voucher (to the programme if the voucher has ended).`,
      ],
    }),
  }),
  bookingWithdrawn: bookingTemplate<{ reason: string; candidates: CandidateMail[] }>({
    'zh-CN': (d) => ({
      subject: `【预约已撤销】检测机构已被移出名录：${d.providerName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [
        `检测机构已被移出服务名录（${d.reason}），尚未开始的预约已撤销，补贴已退回检测券。`,
        ...candidateLines(d.candidates, 'zh-CN'),
      ],
    }),
    en: (d) => ({
      subject: `[Booking withdrawn] Provider delisted: ${d.providerName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        `The provider was delisted (${d.reason}); this booking had not begun, so it is withdrawn and its subsidy went back to your voucher.`,
        ...candidateLines(d.candidates, 'en'),
      ],
    }),
  }),
  disputeReminder: bookingTemplate<{ disputeId: string; waitingSince: string }>({
    'zh-CN': (d) => ({
      subject: `【提醒】报告异议待处理：${d.enterpriseName} / ${d.providerName}`,
      greeting: '管理员您好：',
      paragraphs: [
        `企业对检测报告提出的异议自 ${formatDate(d.waitingSince)} 起等待处理，请尽快裁决（维持、复测或取消并退款）。`,
      ],
    }),
    en: (d) => ({
      subject: `[Reminder] Dispute waiting: ${d.enterpriseName} / ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `The enterprise's dispute of the report has been waiting since ${formatDate(d.waitingSince)}; please resolve it (uphold, retest, or cancel and refund).`,
      ],
    }),
  }),
  disputeEscalation: bookingTemplate<{ disputeId: string; waitingSince: string }>({
    'zh-CN': (d) => ({
      subject: `【升级处理】报告异议逾期未处理：${d.enterpriseName} / ${d.providerName}`,
      greeting: '您好：',
      paragraphs: [`企业对检测报告提出的异议自 ${formatDate(d.waitingSince)} 起仍未处理，已超过处理时限。`],
    }),
    en: (d) => ({
      subject: `[Escalated] Dispute overdue: ${d.enterpriseName} / ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `The enterprise's dispute of the report has been waiting since ${formatDate(d.waitingSince)}, past the review deadline.`,
      ],
    }),
  }),
};
