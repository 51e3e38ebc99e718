import { issueText, type EligibilityIssue } from '../../domain/eligibility';
import { formatDate, formatFen } from '../layout';
import { defineTemplate } from '../template';

interface ApplicationMail {
  applicationId: string;
  programmeName: string;
  enterpriseName: string;
  requestedAmountFen: number;
}

const applicationLink = (id: string) => `/api/v1/applications/${id}`;

export const applicationTemplates = {
  applicationReceived: defineTemplate<ApplicationMail>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】申请已受理：${d.programmeName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['您的检测券申请已通过自动资格审查，进入人工审核。审核结果将通过邮件通知您。'],
      facts: [
        ['申请编号', d.applicationId],
        ['申请金额', formatFen(d.requestedAmountFen, 'zh-CN')],
      ],
      action: { label: '查看申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Application received: ${d.programmeName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'Your application passed the automatic eligibility check and is now with a reviewer. We will e-mail you the decision.',
      ],
      facts: [
        ['Application', d.applicationId],
        ['Amount requested', formatFen(d.requestedAmountFen, 'en')],
      ],
      action: { label: 'View application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),

  applicationIneligible: defineTemplate<ApplicationMail & { issues: EligibilityIssue[] }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】申请未通过资格审查：${d.programmeName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [
        '很遗憾，您的检测券申请未通过自动资格审查，原因如下：',
        ...d.issues.map((issue, i) => `${i + 1}. ${issueText(issue, 'zh-CN')}（${issue.message}）`),
      ],
      action: { label: '查看申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Application not eligible: ${d.programmeName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        'Your application did not pass the automatic eligibility check, for these reasons:',
        ...d.issues.map((issue, i) => `${i + 1}. ${issueText(issue, 'en')}`),
      ],
      action: { label: 'View application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),

  reviewRequested: defineTemplate<ApplicationMail & { revision: number }>({
    'zh-CN': (d, ctx) => ({
      subject: `【待审核】检测券申请：${d.enterpriseName}`,
      greeting: '管理员您好：',
      paragraphs: [
        d.revision > 1 ? '企业已补充材料，请继续审核该申请。' : '有一份新的检测券申请等待您审核。',
      ],
      facts: [
        ['项目', d.programmeName],
        ['企业', d.enterpriseName],
        ['申请金额', formatFen(d.requestedAmountFen, 'zh-CN')],
        ['版本', String(d.revision)],
      ],
      action: { label: '审核申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[To review] Voucher application: ${d.enterpriseName}`,
      greeting: 'Hello,',
      paragraphs: [
        d.revision > 1
          ? 'The enterprise sent the information you asked for; the application is back with you.'
          : 'A new voucher application is waiting for your review.',
      ],
      facts: [
        ['Programme', d.programmeName],
        ['Enterprise', d.enterpriseName],
        ['Amount requested', formatFen(d.requestedAmountFen, 'en')],
        ['Revision', String(d.revision)],
      ],
      action: { label: 'Review application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),

  reviewReminder: defineTemplate<ApplicationMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【审核提醒】检测券申请待处理：${d.enterpriseName}`,
      greeting: '管理员您好：',
      paragraphs: [`该申请自 ${formatDate(d.waitingSince)} 起等待审核，请尽快处理。`],
      facts: [
        ['项目', d.programmeName],
        ['申请金额', formatFen(d.requestedAmountFen, 'zh-CN')],
      ],
      action: { label: '审核申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Reminder] Voucher application awaiting review: ${d.enterpriseName}`,
      greeting: 'Hello,',
      paragraphs: [`This application has been waiting for review since ${formatDate(d.waitingSince)}.`],
      facts: [
        ['Programme', d.programmeName],
        ['Amount requested', formatFen(d.requestedAmountFen, 'en')],
      ],
      action: { label: 'Review application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),

  reviewEscalation: defineTemplate<ApplicationMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【审核超时升级】检测券申请超过审核时限：${d.enterpriseName}`,
      greeting: '您好：',
      paragraphs: [`该申请自 ${formatDate(d.waitingSince)} 起等待审核，已超过审核时限，现升级处理。`],
      facts: [
        ['项目', d.programmeName],
        ['企业', d.enterpriseName],
        ['申请金额', formatFen(d.requestedAmountFen, 'zh-CN')],
      ],
      action: { label: '查看申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Escalation] Voucher application past its review deadline: ${d.enterpriseName}`,
      greeting: 'Hello,',
      paragraphs: [
        `This application has been waiting since ${formatDate(d.waitingSince)}, past the review deadline.`,
      ],
      facts: [
        ['Programme', d.programmeName],
        ['Enterprise', d.enterpriseName],
        ['Amount requested', formatFen(d.requestedAmountFen, 'en')],
      ],
      action: { label: 'View application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),

  informationRequested: defineTemplate<ApplicationMail & { message: string; answerWithin: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【需补充材料】检测券申请：${d.programmeName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [
        `审核人员需要您补充以下信息，补充后申请将继续审核（请在 ${d.answerWithin} 内补充，逾期申请将关闭）：`,
        d.message,
      ],
      action: { label: '补充材料', url: ctx.link(`${applicationLink(d.applicationId)}/resubmit`) },
    }),
    en: (d, ctx) => ({
      subject: `[Information needed] Voucher application: ${d.programmeName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        `The reviewer needs the following before continuing with your application (answer within ${d.answerWithin}; after that the application closes):`,
        d.message,
      ],
      action: {
        label: 'Send the information',
        url: ctx.link(`${applicationLink(d.applicationId)}/resubmit`),
      },
    }),
  }),

  applicationRejected: defineTemplate<ApplicationMail & { reason: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】申请未获批准：${d.programmeName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: ['很遗憾，您的检测券申请未获批准。原因：', d.reason],
      action: { label: '查看申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Application not approved: ${d.programmeName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: ['Your application was not approved. Reason:', d.reason],
      action: { label: 'View application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),
  applicationLapsed: defineTemplate<ApplicationMail & { answerWithin: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【检测券】申请已关闭：${d.programmeName}`,
      greeting: `${d.enterpriseName}：`,
      paragraphs: [
        `审核人员要求补充的信息未在 ${d.answerWithin} 内提交，申请已关闭。如仍有需要，请重新申请。`,
      ],
      action: { label: '查看申请', url: ctx.link(applicationLink(d.applicationId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Testing voucher] Application closed: ${d.programmeName}`,
      greeting: `Dear ${d.enterpriseName},`,
      paragraphs: [
        `The information the reviewer asked for did not arrive within ${d.answerWithin}, so the application is closed. You may apply again.`,
      ],
      action: { label: 'View application', url: ctx.link(applicationLink(d.applicationId)) },
    }),
  }),
};
