import { MailDev } from 'maildev';
import { portInUse } from './ports';

export interface MailCatcher {
  smtpUrl: string;
  webUrl: string;
  stop: () => Promise<void>;
}

/** MailDev: an SMTP server that keeps every mail, with a web page and a REST API to read them. */
export async function startMailCatcher(options: {
  smtpPort: number;
  webPort: number;
  mailDirectory?: string;
}): Promise<MailCatcher> {
  for (const port of [options.smtpPort, options.webPort]) {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is in use: set SMTP_URL to use a mail server there, or LOCAL_SMTP_PORT/LOCAL_MAIL_UI_PORT`,
      );
    }
  }
  const maildev = new MailDev({
    smtp: options.smtpPort,
    ip: '127.0.0.1',
    web: options.webPort,
    webIp: '127.0.0.1',
    silent: true,
    ...(options.mailDirectory ? { mailDirectory: options.mailDirectory } : {}),
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    webUrl: `http://127.0.0.1:${options.webPort}`,
    stop: () => maildev.stop(),
  };
}
