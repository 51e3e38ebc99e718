/**
 * The SMTP server the journeys bench sends its mail to, in a process of its own, as a relay is: it
 * speaks SMTP, reads every message to its end and acknowledges it, and keeps nothing. The test
 * catcher (MailDev) would also parse and store every mail, work no deployment's relay does on the
 * service's machine. Started by the journeys bench.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../scripts/lib/ports';
import { stopProcess } from '../scripts/lib/processes';

export async function startMailProcess(): Promise<{
  smtpUrl: string;
  pid: number | null;
  stop: () => Promise<void>;
}> {
  const smtpPort = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(smtpPort)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('ready')) resolve();
    });
  });
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, pid: child.pid ?? null, stop: () => stopProcess(child) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2]);
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.once('end', () => callback());
    },
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
