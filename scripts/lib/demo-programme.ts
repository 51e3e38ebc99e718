import { DEMO_USERS } from '../seed';

const DEMO_PROGRAMME = {
  name: '上海市中小企业检测券（演示）',
  authority: '上海市经济和信息化委员会',
  year: new Date().getFullYear(),
  regionCode: '310000',
  budgetFen: 500_000_000,
  // the policy's defaults, as real schemes set them
  policy: {},
};

/**
 * An open programme for trying the portal: the demo SME can apply at once. Made through the API as the
 * demo administrator, like any programme, and only when no programme is open.
 */
export async function ensureDemoProgramme(apiUrl: string): Promise<string | null> {
  const admin = DEMO_USERS.find((user) => user.role === 'ADMIN')!;
  const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  if (!login.ok) throw new Error(`demo programme: the demo administrator cannot sign in (${login.status})`);
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const open = await fetch(`${apiUrl}/api/v1/programs?status=ACTIVE&limit=1`, { headers });
  const { items } = (await open.json()) as { items: unknown[] };
  if (items.length > 0) return null;
  const created = await fetch(`${apiUrl}/api/v1/programs`, {
    method: 'POST',
    headers,
    body: JSON.stringify(DEMO_PROGRAMME),
  });
  if (!created.ok) throw new Error(`demo programme: ${created.status} ${await created.text()}`);
  return DEMO_PROGRAMME.name;
}
