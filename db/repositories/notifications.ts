import type { Db } from '../client';
import type { NotificationStatus } from '../generated/client';

/** The e-mail outbox: one row per business event and recipient, so that a retried step mails once. */
export interface OutboxEntry {
  id: string;
  eventKey: string;
  recipient: string;
  template: string;
  locale: string;
  subject: string;
  messageId: string;
}

export function createNotificationRepository(db: Db) {
  return {
    /** The event's row, made PENDING the first time: one statement, whoever comes first. */
    async claim(entry: OutboxEntry): Promise<{ id: string; status: NotificationStatus }> {
      // a no-op update on conflict, so that RETURNING answers for the row already there
      const [row] = await db.$queryRaw<{ id: string; status: NotificationStatus }[]>`
        INSERT INTO notifications (id, event_key, recipient, template, locale, subject, message_id, status)
        VALUES (${entry.id}::uuid, ${entry.eventKey}, ${entry.recipient}, ${entry.template}, ${entry.locale},
                ${entry.subject}, ${entry.messageId}, 'PENDING')
        ON CONFLICT (event_key) DO UPDATE SET event_key = EXCLUDED.event_key
        RETURNING id::text, status::text`;
      return row!;
    },

    async markSent(id: string, at: Date): Promise<void> {
      await db.$executeRaw`UPDATE notifications SET status = 'SENT', sent_at = ${at} WHERE id = ${id}::uuid`;
    },
  };
}
