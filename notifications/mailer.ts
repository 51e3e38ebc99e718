import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per business event, so that a receiver can tell a resend from a new mail. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  verify(): Promise<void>;
  close(): void;
}

/**
 * nodemailer over SMTP; `smtp://user:pass@host:port` or `smtps://…` for implicit TLS. Messages go
 * over a small pool of kept-open connections (each replaced after 100 messages) rather than one
 * connection, greeting and sign-in per message.
 */
/** Kept-open SMTP connections per worker; a mail to many recipients uses them all at once. */
export const MAIL_CONNECTIONS = 5;

export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(
    { url: options.smtpUrl, pool: true, maxConnections: MAIL_CONNECTIONS, maxMessages: 100 },
    { from: options.from },
  );
  return {
    async send(mail) {
      await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
