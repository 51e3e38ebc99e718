import type { Mailbox } from './mailbox';

/**
 * The portal page and token of the latest link to `page` (e.g. `/verify-email`) mailed to the address,
 * as a path with its query to open in the portal under test: what a person does by clicking it.
 */
export async function mailedLink(mail: Mailbox, email: string, page: string, count = 1): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(${page}\\?token=[A-Za-z0-9_%-]+)`);
  const mails = await mail.waitFor((m) => m.to.includes(email.toLowerCase()) && pattern.test(m.text), {
    count,
  });
  return pattern.exec(mails[mails.length - 1]!.text)![1]!;
}
