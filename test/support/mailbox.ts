/** Reads what the MailDev SMTP catcher received, through its REST API. */
export interface CaughtMail {
  id: string;
  subject: string;
  to: string[];
  text: string;
  html: string;
  messageId: string;
}

interface MailDevEmail {
  id: string;
  subject?: string;
  to?: { address: string }[];
  text?: string;
  html?: string;
  headers?: Record<string, string | string[]>;
}

export function mailbox(apiUrl: string) {
  // the catcher keeps every mail of the run in arrival order and never drops one: each read asks only
  // for those after the ones already seen, so a busy run does not make every poll slower
  const seen: CaughtMail[] = [];

  async function all(): Promise<CaughtMail[]> {
    const response = await fetch(`${apiUrl}/api/email?skip=${seen.length}`);
    if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
    const emails = (await response.json()) as MailDevEmail[];
    seen.push(
      ...emails.map((e) => ({
        id: e.id,
        subject: e.subject ?? '',
        to: (e.to ?? []).map((t) => t.address.toLowerCase()),
        text: e.text ?? '',
        html: e.html ?? '',
        messageId: String(e.headers?.['message-id'] ?? ''),
      })),
    );
    return [...seen];
  }

  return {
    all,
    /** Mail to one address, optionally only those whose subject contains `subject`. */
    async to(address: string, subject?: string): Promise<CaughtMail[]> {
      return (await all()).filter(
        (m) => m.to.includes(address.toLowerCase()) && (subject === undefined || m.subject.includes(subject)),
      );
    },
    /** Polls until at least `count` mails match, then returns every match. */
    async waitFor(
      predicate: (mail: CaughtMail) => boolean,
      options: { count?: number; timeoutMs?: number } = {},
    ): Promise<CaughtMail[]> {
      const count = options.count ?? 1;
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      for (;;) {
        const matches = (await all()).filter(predicate);
        if (matches.length >= count) return matches;
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} matching mail(s), caught ${matches.length} within the timeout`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

export type Mailbox = ReturnType<typeof mailbox>;
