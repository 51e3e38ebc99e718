import { randomUUID } from 'node:crypto';
import { hashPassword } from '../api/http/auth';
import type { Db } from '../db/client';
import { createUserRepository } from '../db/repositories/users';
import type { Role } from '../domain/identity';

export interface DemoCredential {
  role: Role;
  email: string;
  password: string;
}

/** One user of each role, for trying the service locally. Never run against production. */
export const DEMO_USERS: (DemoCredential & { displayName: string })[] = [
  {
    role: 'ADMIN',
    email: 'admin@demo.vouchers.cn',
    password: 'admin-demo-password',
    displayName: '王管理 (programme administrator)',
  },
  {
    role: 'ADMIN',
    email: 'reviewer@demo.vouchers.cn',
    password: 'reviewer-demo-password',
    displayName: '赵复核 (second administrator)',
  },
  {
    role: 'AUDITOR',
    email: 'auditor@demo.vouchers.cn',
    password: 'auditor-demo-password',
    displayName: '李审计 (auditor)',
  },
  {
    role: 'SME',
    email: 'sme@demo.vouchers.cn',
    password: 'sme-demo-password',
    displayName: '张企业 (SME staff)',
  },
  {
    role: 'PROVIDER',
    email: 'lab@demo.vouchers.cn',
    password: 'provider-demo-password',
    displayName: '陈实验室 (lab staff)',
  },
];

export async function seedDemoUsers(db: Db): Promise<DemoCredential[]> {
  const users = createUserRepository(db);
  for (const demo of DEMO_USERS) {
    const existing = await users.findCredentials(demo.email);
    if (existing) continue;
    await users.create({
      id: randomUUID(),
      email: demo.email,
      passwordHash: await hashPassword(demo.password),
      role: demo.role,
      displayName: demo.displayName,
      locale: 'zh-CN',
      emailVerifiedAt: new Date(),
    });
  }
  return DEMO_USERS.map(({ role, email, password }) => ({ role, email, password }));
}
