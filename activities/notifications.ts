import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Locale } from '../notifications/layout';
import { MAIL_CONNECTIONS } from '../notifications/mailer';
import { renderTemplate, type TemplateData, type TemplateName } from '../notifications/templates';
import { createNotificationRepository } from '../db/repositories/notifications';
import { createUserRepository } from '../db/repositories/users';
import type { ActivityDeps } from './deps';

export interface Recipient {
  email: string;
  locale: Locale;
}

/** Who a mail goes to: an organisation's users, every user of a role, or given addresses. */
export type Audience =
  | { enterpriseId: string }
  | { providerId: string }
  | { role: 'ADMIN' | 'AUDITOR' }
  | { escalation: true }
  | { operators: true }
  | { recipients: Recipient[] };

export interface NotificationRequest<Name extends TemplateName = TemplateName> {
  /** the business event, e.g. `application/<id>/approved`: one mail per event and recipient */
  eventKey: string;
  template: Name;
  data: TemplateData<Name>;
  to: Audience[];
}

export function createNotificationActivities({
  db,
  mailer,
  publicUrl,
  escalationEmails,
  opsEmail,
}: Pick<ActivityDeps, 'db' | 'mailer' | 'publicUrl' | 'escalationEmails' | 'opsEmail'>) {
  const link = (path: string) => new URL(path, publicUrl).toString();
  const mailDomain = new URL(publicUrl).hostname || 'vouchers.local';
  const users = createUserRepository(db);
  const outbox = createNotificationRepository(db);

  async function resolve(audience: Audience): Promise<Recipient[]> {
    if ('recipients' in audience) return audience.recipients;
    if ('operators' in audience) return [{ email: opsEmail, locale: 'zh-CN' }];
    if ('escalation' in audience) {
      // supervisors named in configuration, and every administrator
      const admins = await users.withRole('ADMIN');
      return [
        ...escalationEmails.map((email) => ({ email, locale: 'zh-CN' as const })),
        ...admins.map((u) => ({ email: u.email, locale: u.locale })),
      ];
    }
    const found =
      'role' in audience ? await users.withRole(audience.role) : await users.ofOrganisation(audience);
    return found.map((u) => ({ email: u.email, locale: u.locale }));
  }

  /**
   * Sends a templated e-mail to each recipient in their language. The outbox row keyed by event
   * and recipient makes a retried activity skip what was already sent; the Message-ID is derived
   * from the same key, so the rare resend after a crash mid-send is recognisable as the same mail.
   */
  async function sendNotification<Name extends TemplateName>(
    request: NotificationRequest<Name>,
  ): Promise<{ sent: number; alreadySent: number }> {
    let sent = 0;
    let alreadySent = 0;
    const recipients = (await Promise.all(request.to.map(resolve))).flat();
    const unique = new Map(recipients.map((r) => [r.email.toLowerCase(), r]));
    // one recipient per kept-open SMTP connection at a time: a mail to every administrator does not
    // wait for each of them in turn
    const oneAtATimePerConnection = pLimit(MAIL_CONNECTIONS);
    await Promise.all(
      [...unique.values()].map((recipient) =>
        oneAtATimePerConnection(async () => {
          const eventKey = `${request.eventKey}|${recipient.email.toLowerCase()}`;
          const mail = renderTemplate(request.template, recipient.locale, request.data, { link });
          const messageId = `<${createHash('sha256').update(eventKey).digest('hex').slice(0, 40)}@${mailDomain}>`;
          const row = await outbox.claim({
            id: randomUUID(),
            eventKey,
            recipient: recipient.email,
            template: request.template,
            locale: recipient.locale,
            subject: mail.subject,
            messageId,
          });
          if (row.status === 'SENT') {
            alreadySent += 1;
            return;
          }
          await mailer.send({
            to: recipient.email,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId,
          });
          await outbox.markSent(row.id, new Date());
          sent += 1;
        }),
      ),
    );
    return { sent, alreadySent };
  }

  return { sendNotification };
}
