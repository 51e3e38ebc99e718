import { layout, type Locale, type RenderedMail } from '../layout';
import type { Template, TemplateContext } from '../template';
import { accountTemplates } from './accounts';
import { applicationTemplates } from './applications';
import { bookingTemplates } from './bookings';
import { opsTemplates } from './ops';
import { providerTemplates } from './providers';
import { settlementTemplates } from './settlement';
import { signInTemplates } from './sign-in';
import { voucherTemplates } from './vouchers';

export const templates = {
  ...opsTemplates,
  ...providerTemplates,
  ...applicationTemplates,
  ...voucherTemplates,
  ...bookingTemplates,
  ...settlementTemplates,
  ...signInTemplates,
  ...accountTemplates,
};

export type TemplateName = keyof typeof templates;
export type TemplateData<Name extends TemplateName> =
  (typeof templates)[Name] extends Template<infer Data> ? Data : never;

export function renderTemplate<Name extends TemplateName>(
  name: Name,
  locale: Locale,
  data: TemplateData<Name>,
  ctx: TemplateContext,
): RenderedMail {
  const template = templates[name] as Template<TemplateData<Name>>;
  return layout(template[locale](data, ctx), locale);
}
