import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../config/env';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration from environment variables', () => {
  it('starts on defaults fit for a developer machine', () => {
    const env = loadEnv({});
    expect(env.API_PORT).toBe(3000);
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(env.SMTP_URL).toBe('smtp://127.0.0.1:1025');
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\//);
  });

  it('names each wrong variable and what it expects, all at once', () => {
    const problems = problemsOf({
      API_PORT: 'eighty',
      TEMPORAL_ADDRESS: 'localhost',
      SMTP_URL: 'http://mail.example.cn',
      DATABASE_URL: 'mysql://db/vouchers',
      ESCALATION_EMAILS: 'chief@example.cn, not-an-address',
    });
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('API_PORT:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('TEMPORAL_ADDRESS:'))).toContain('host:port');
    expect(problems.find((p) => p.startsWith('SMTP_URL:'))).toContain('smtp://');
    expect(problems.find((p) => p.startsWith('DATABASE_URL:'))).toContain('postgresql://');
    expect(problems.find((p) => p.startsWith('ESCALATION_EMAILS'))).toContain('e-mail');
  });

  it('refuses to run production on the development JWT secret or a short one', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: must be set to a secret of at least 32 characters in production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short' })[0]).toBe(
      'JWT_SECRET: must be at least 32 characters',
    );
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toEqual([]);
  });

  it('takes the stuck threshold and the worker’s deployment version, and names what is wrong with them', () => {
    const env = loadEnv({});
    expect([
      env.STUCK_AFTER,
      env.WORKER_VERSIONING,
      env.TEMPORAL_DEPLOYMENT_NAME,
      env.WORKER_BUILD_ID,
    ]).toEqual(['5m', 'false', 'testing-vouchers', undefined]);
    const problems = problemsOf({
      STUCK_AFTER: '5 minutes',
      WORKER_VERSIONING: 'yes',
      TEMPORAL_DEPLOYMENT_NAME: 'vouchers.prod',
      WORKER_BUILD_ID: 'build 7',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'STUCK_AFTER',
      'TEMPORAL_DEPLOYMENT_NAME',
      'WORKER_BUILD_ID',
      'WORKER_VERSIONING',
    ]);
    expect(problems.find((p) => p.startsWith('TEMPORAL_DEPLOYMENT_NAME'))).toContain('no "." or ":"');
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ API_PORT: '', LOG_LEVEL: '' }).API_PORT).toBe(3000);
  });

  it('reports the message with every problem on its own line', () => {
    expect(() => loadEnv({ API_PORT: '0', LOG_LEVEL: 'loud' })).toThrow(
      /Invalid configuration:\n {2}- (API_PORT|LOG_LEVEL).*\n {2}- (API_PORT|LOG_LEVEL)/,
    );
  });
});
