import escapeHtml from 'escape-html';
import { yuanDigits } from '../domain/money';

export type { Locale } from '../domain/identity';
import type { Locale } from '../domain/identity';
export const LOCALES = ['zh-CN', 'en'] as const satisfies readonly Locale[];

/** What a template says, before it is laid out as text and HTML. */
export interface Message {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** label/value pairs shown as a table, e.g. amounts and dates */
  facts?: [string, string][];
  action?: { label: string; url: string };
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const footer: Record<Locale, string> = {
  'zh-CN': '本邮件由中小企业检测券服务自动发送，请勿直接回复。',
  en: 'This message was sent automatically by the SME testing-voucher service; please do not reply.',
};

export function layout(message: Message, locale: Locale): RenderedMail {
  const facts = message.facts ?? [];
  const text = [
    message.greeting,
    '',
    ...message.paragraphs.flatMap((p) => [p, '']),
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...(facts.length ? [''] : []),
    ...(message.action ? [`${message.action.label}: ${message.action.url}`, ''] : []),
    '--',
    footer[locale],
  ].join('\n');

  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>
<body style="font-family: -apple-system, 'PingFang SC', 'Microsoft YaHei', Arial, sans-serif; color: #1f2328; line-height: 1.6;">
<p>${escapeHtml(message.greeting)}</p>
${message.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${
  facts.length
    ? `<table style="border-collapse: collapse;">${facts
        .map(
          ([label, value]) =>
            `<tr><th style="text-align: left; padding: 2px 12px 2px 0;">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
    : ''
}
${
  message.action
    ? `<p><a href="${escapeHtml(message.action.url)}" style="display: inline-block; padding: 8px 16px; background: #c8102e; color: #fff; text-decoration: none; border-radius: 4px;">${escapeHtml(message.action.label)}</a></p>`
    : ''
}
<hr><p style="color: #6e7781; font-size: 12px;">${escapeHtml(footer[locale])}</p>
</body></html>`;

  return { subject: message.subject, text, html };
}

/** Integer fen as yuan with two decimals, e.g. 1234567 → "12,345.67 元" or "CNY 12,345.67". */
export function formatFen(fen: number, locale: Locale): string {
  return locale === 'zh-CN' ? `${yuanDigits(fen)} 元` : `CNY ${yuanDigits(fen)}`;
}

export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}
