/**
 * Operators' account commands, against DATABASE_URL:
 *   npm run admin -- create --email E --name N [--role ADMIN|AUDITOR] [--locale zh-CN|en]
 *   npm run admin -- disable --email E
 *   npm run admin -- enable --email E
 * `create` takes the password from ADMIN_PASSWORD, else from standard input when it is not a terminal,
 * else makes a strong one and prints it once. This is how a deployment gets its first administrator.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword } from '../api/http/auth';
import { ConfigError, loadEnv } from '../config/env';
import { createDb, type Db } from '../db/client';
import { createUserRepository } from '../db/repositories/users';
import { SYSTEM_ACTOR } from '../domain/audit';
import { EmailSchema, LocaleSchema, PasswordSchema, StaffRoleSchema } from '../domain/identity';
import { judgePassword } from '../domain/password';

const USAGE = `usage:
  npm run admin -- create --email E --name N [--role ADMIN|AUDITOR] [--locale zh-CN|en]
  npm run admin -- disable --email E
  npm run admin -- enable --email E`;

/** A refusal worth a clear sentence and a non-zero exit, not a stack trace. */
class Refusal extends Error {}

const via = { via: 'command line' };

function valid<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Refusal(`--${option} ${result.error.issues[0]?.message ?? 'is not valid'}`);
  return result.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The password and whether it was made here (then it is printed once). */
async function choosePassword(): Promise<{ password: string; generated: boolean }> {
  if (process.env.ADMIN_PASSWORD) return { password: process.env.ADMIN_PASSWORD, generated: false };
  if (!process.stdin.isTTY) {
    const typed = await readStdin();
    if (typed) return { password: typed, generated: false };
  }
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

async function create(db: Db, values: Record<string, string | undefined>, minimumScore: number) {
  const email = valid(EmailSchema, values.email, 'email');
  const displayName = valid(z.string().trim().min(1, { error: 'is required' }).max(100), values.name, 'name');
  const role = valid(StaffRoleSchema, values.role ?? 'ADMIN', 'role');
  const locale = valid(LocaleSchema, values.locale ?? 'zh-CN', 'locale');
  const { password, generated } = await choosePassword();
  const length = PasswordSchema.safeParse(password);
  if (!length.success) throw new Refusal(`The password ${length.error.issues[0]?.message}`);
  const judgement = judgePassword(password, { email, displayName }, minimumScore);
  if (!judgement.acceptable) throw new Refusal(`The password is too easy to guess: ${judgement.explanation}`);
  const users = createUserRepository(db);
  const user = await users.create(
    {
      id: randomUUID(),
      email,
      passwordHash: await hashPassword(password),
      role,
      displayName,
      locale,
      emailVerifiedAt: new Date(),
    },
    (created) => ({
      actor: SYSTEM_ACTOR,
      action: 'USER_CREATED',
      entityType: 'user',
      entityId: created.id,
      after: { email: created.email, role: created.role, ...via },
    }),
  );
  if (!user) throw new Refusal(`An account with the e-mail ${email} already exists; nothing was changed.`);
  console.log(`Created ${role} ${email} (${user.id}).`);
  if (generated) {
    console.log(`Password (shown this once; keep it safe and change it after signing in): ${password}`);
  }
}

async function setDisabled(db: Db, values: Record<string, string | undefined>, disabled: boolean) {
  const email = valid(EmailSchema, values.email, 'email');
  const users = createUserRepository(db);
  const found = await users.findCredentials(email);
  if (!found) throw new Refusal(`No account has the e-mail ${email}.`);
  const result = await users.setDisabled(found.id, disabled, new Date(), (user) => ({
    actor: SYSTEM_ACTOR,
    action: disabled ? 'USER_DISABLED' : 'USER_ENABLED',
    entityType: 'user',
    entityId: user.id,
    after: { email: user.email, role: user.role, ...via },
  }));
  if (result === 'LAST_ADMINISTRATOR') {
    throw new Refusal(`${email} is the last active administrator; create another one before disabling it.`);
  }
  console.log(disabled ? `Disabled ${email}: its sessions have ended.` : `Enabled ${email}.`);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      locale: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (!command || !['create', 'disable', 'enable'].includes(command) || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const env = loadEnv();
  const db = createDb(env.DATABASE_URL, 2);
  try {
    if (command === 'create') await create(db, values, env.PASSWORD_MIN_SCORE);
    else await setDisabled(db, values, command === 'disable');
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Refusal || error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
    } else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`${error.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
