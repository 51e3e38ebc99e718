import { defineTemplate } from '../template';

interface ProviderMail {
  providerId: string;
  providerName: string;
}

const providerLink = (id: string) => `/api/v1/providers/${id}`;

export const providerTemplates = {
  providerVerificationRequested: defineTemplate<
    ProviderMail & { renewal: boolean; submittedAt: string; accreditations: string }
  >({
    'zh-CN': (d, ctx) => ({
      subject: `【机构待核验】${d.providerName}${d.renewal ? '（资质更新）' : ''}`,
      greeting: '管理员您好：',
      paragraphs: [
        d.renewal
          ? '该服务机构提交了更新的资质证书，请核验 CNAS/CMA 编号、能力范围和有效期。'
          : '有一家新的服务机构申请入驻，请核验其 CNAS/CMA 编号、能力范围和有效期。',
      ],
      facts: [
        ['机构', d.providerName],
        ['资质', d.accreditations],
        ['提交时间', d.submittedAt],
      ],
      action: { label: '核验机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[To verify] Provider ${d.providerName}${d.renewal ? ' (renewal)' : ''}`,
      greeting: 'Hello,',
      paragraphs: [
        d.renewal
          ? 'This provider submitted renewed accreditations. Please verify the CNAS/CMA numbers, scope and expiry.'
          : 'A new provider asks to be listed. Please verify its CNAS/CMA numbers, scope and expiry.',
      ],
      facts: [
        ['Provider', d.providerName],
        ['Accreditations', d.accreditations],
        ['Submitted', d.submittedAt],
      ],
      action: { label: 'Verify provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  providerSubmissionReceived: defineTemplate<ProviderMail & { renewal: boolean }>({
    'zh-CN': (d, ctx) => ({
      subject: `【服务机构】${d.renewal ? '资质更新' : '入驻申请'}已受理：${d.providerName}`,
      greeting: `${d.providerName}：`,
      paragraphs: ['我们已收到您提交的资质材料，管理员核验后将通过邮件通知结果。'],
      action: { label: '查看机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Provider] ${d.renewal ? 'Renewal' : 'Registration'} received: ${d.providerName}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        'We received your accreditations. An administrator will verify them and we will e-mail you the outcome.',
      ],
      action: { label: 'View provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  providerReviewReminder: defineTemplate<ProviderMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【提醒】服务机构待核验：${d.providerName}`,
      greeting: '管理员您好：',
      paragraphs: ['以下服务机构的资质仍在等待核验，请尽快处理。'],
      facts: [
        ['机构', d.providerName],
        ['等待自', d.waitingSince],
      ],
      action: { label: '核验机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Reminder] Provider waiting for verification: ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: ['This provider’s accreditations are still waiting for verification.'],
      facts: [
        ['Provider', d.providerName],
        ['Waiting since', d.waitingSince],
      ],
      action: { label: 'Verify provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  providerReviewEscalation: defineTemplate<ProviderMail & { waitingSince: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【督办】服务机构核验超时：${d.providerName}`,
      greeting: '您好：',
      paragraphs: ['以下服务机构的资质核验已超过时限，请督促处理。'],
      facts: [
        ['机构', d.providerName],
        ['等待自', d.waitingSince],
      ],
      action: { label: '查看机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Escalation] Provider verification overdue: ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: ['Verification of this provider is past its deadline. Please see that it is decided.'],
      facts: [
        ['Provider', d.providerName],
        ['Waiting since', d.waitingSince],
      ],
      action: { label: 'View provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  providerListed: defineTemplate<
    ProviderMail & { renewal: boolean; firstExpiry: string | null; servicesTakenOutOfScope: number }
  >({
    'zh-CN': (d, ctx) => ({
      subject: `【服务机构】${d.renewal ? '资质更新已核验' : '已通过核验并上架'}：${d.providerName}`,
      greeting: `${d.providerName}：`,
      paragraphs: [
        d.renewal
          ? '您更新的资质已通过核验，机构在服务目录中保持上架。'
          : '您的资质已通过核验，机构已在服务目录中上架，企业可以检索并预约您的服务。',
        ...(d.servicesTakenOutOfScope
          ? [
              `有 ${d.servicesTakenOutOfScope} 项服务超出新的资质能力范围，已标记为范围外，不再参与检测券匹配。`,
            ]
          : []),
      ],
      facts: d.firstExpiry ? [['资质最早到期日', d.firstExpiry]] : [],
      action: { label: '查看机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Provider] ${d.renewal ? 'Renewal verified' : 'Verified and listed'}: ${d.providerName}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        d.renewal
          ? 'Your renewed accreditations are verified; you stay listed.'
          : 'Your accreditations are verified and you are listed: SMEs can now find and book your services.',
        ...(d.servicesTakenOutOfScope
          ? [
              `${d.servicesTakenOutOfScope} service(s) fall outside the new scope and are marked out of scope; vouchers no longer match them.`,
            ]
          : []),
      ],
      facts: d.firstExpiry ? [['First accreditation expiry', d.firstExpiry]] : [],
      action: { label: 'View provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  providerRejected: defineTemplate<ProviderMail & { renewal: boolean; reason: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【服务机构】${d.renewal ? '资质更新' : '入驻申请'}未通过核验：${d.providerName}`,
      greeting: `${d.providerName}：`,
      paragraphs: [
        `很遗憾，您提交的资质未通过核验。原因：${d.reason}`,
        '您可以修改后重新提交资质（PUT /api/v1/providers/{id}/accreditations）。',
      ],
      action: { label: '查看机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Provider] ${d.renewal ? 'Renewal' : 'Registration'} not verified: ${d.providerName}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        `Your accreditations were not verified. Reason: ${d.reason}`,
        'You may correct them and submit again (PUT /api/v1/providers/{id}/accreditations).',
      ],
      action: { label: 'View provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  accreditationExpiryWarning: defineTemplate<ProviderMail & { accreditation: string; expiresOn: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【资质到期提醒】${d.accreditation} 将于 ${d.expiresOn} 到期`,
      greeting: `${d.providerName}：`,
      paragraphs: ['您的资质即将到期。到期后机构将自动下架，请在到期前提交更新后的资质证书以便核验。'],
      facts: [
        ['资质', d.accreditation],
        ['有效期至', d.expiresOn],
      ],
      action: { label: '提交更新资质', url: ctx.link(`${providerLink(d.providerId)}/accreditations`) },
    }),
    en: (d, ctx) => ({
      subject: `[Accreditation expiry] ${d.accreditation} expires on ${d.expiresOn}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        'Your accreditation expires soon, and you will be delisted when it does. Please submit the renewed certificate for verification before then.',
      ],
      facts: [
        ['Accreditation', d.accreditation],
        ['Valid until', d.expiresOn],
      ],
      action: { label: 'Submit renewal', url: ctx.link(`${providerLink(d.providerId)}/accreditations`) },
    }),
  }),

  providerDelisted: defineTemplate<ProviderMail & { reason: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【服务机构】已下架：${d.providerName}`,
      greeting: `${d.providerName}：`,
      paragraphs: [
        `您的机构已从服务目录下架。原因：${d.reason}`,
        '提交更新后的资质并通过核验后，机构将重新上架。进行中的预约的企业已收到通知。',
      ],
      action: { label: '查看机构', url: ctx.link(providerLink(d.providerId)) },
    }),
    en: (d, ctx) => ({
      subject: `[Provider] Delisted: ${d.providerName}`,
      greeting: `Dear ${d.providerName},`,
      paragraphs: [
        `You have been delisted. Reason: ${d.reason}`,
        'Once renewed accreditations are verified you will be listed again. The SMEs of your open bookings have been told.',
      ],
      action: { label: 'View provider', url: ctx.link(providerLink(d.providerId)) },
    }),
  }),

  bookingProviderDelisted: defineTemplate<ProviderMail & { bookingId: string; reason: string }>({
    'zh-CN': (d, ctx) => ({
      subject: `【预约提醒】服务机构已下架：${d.providerName}`,
      greeting: '您好：',
      paragraphs: [
        `您预约的服务机构已从服务目录下架。原因：${d.reason}`,
        '请联系该机构确认预约的处理方式，必要时取消预约并重新匹配其他机构。',
      ],
      facts: [
        ['预约编号', d.bookingId],
        ['机构', d.providerName],
      ],
      action: { label: '查看预约', url: ctx.link(`/api/v1/bookings/${d.bookingId}`) },
    }),
    en: (d, ctx) => ({
      subject: `[Booking] Provider delisted: ${d.providerName}`,
      greeting: 'Hello,',
      paragraphs: [
        `The provider of your booking has been delisted. Reason: ${d.reason}`,
        'Please check with the provider how the booking proceeds; you may cancel it and match another provider.',
      ],
      facts: [
        ['Booking', d.bookingId],
        ['Provider', d.providerName],
      ],
      action: { label: 'View booking', url: ctx.link(`/api/v1/bookings/${d.bookingId}`) },
    }),
  }),
};
