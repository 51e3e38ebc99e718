import type { Locale, Message } from './layout';

export interface TemplateContext {
  /** absolute link to a path of the service, e.g. `/api/v1/vouchers/…` */
  link(path: string): string;
}

export type Template<Data> = Record<Locale, (data: Data, ctx: TemplateContext) => Message>;

export function defineTemplate<Data>(template: Template<Data>): Template<Data> {
  return template;
}
