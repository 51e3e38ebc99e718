import { describe, expect, it } from 'vitest';
import {
  budgetChangeRefusal,
  decisionRefusal,
  needsSecondApproval,
  statusAt,
  type ApprovalRecord,
} from '../domain/approval';
import { DEFAULT_POLICY, PolicySchema } from '../domain/policy';

const proposedAt = new Date('2026-11-27T00:00:00Z');
const proposal: ApprovalRecord = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'PAYOUT_RUN',
  programmeId: '00000000-0000-4000-8000-000000000002',
  subjectId: '00000000-0000-4000-8000-000000000002',
  payload: {},
  proposedBy: 'first',
  proposedAt,
  expiresAt: new Date('2026-12-04T00:00:00Z'),
  status: 'PENDING',
  decidedBy: null,
  decidedAt: null,
  reason: null,
};
const before = new Date('2026-12-03T23:59:59Z');
const at = new Date('2026-12-04T00:00:00Z');

describe('the four-eyes rules (docs/policy.md, "Four eyes")', () => {
  it('lets a second, different administrator decide a pending proposal, never its proposer', () => {
    expect(decisionRefusal(proposal, 'second', before)).toBeNull();
    expect(decisionRefusal(proposal, 'first', before)?.code).toBe('FOUR_EYES_SAME_ADMIN');
  });

  it('expires a proposal at its deadline, whatever its stored status says', () => {
    expect(statusAt(proposal, before)).toBe('PENDING');
    expect(statusAt(proposal, at)).toBe('EXPIRED');
    expect(decisionRefusal(proposal, 'second', at)?.code).toBe('APPROVAL_EXPIRED');
  });

  it('refuses to decide a proposal twice, or one withdrawn', () => {
    for (const status of ['APPROVED', 'REJECTED', 'WITHDRAWN'] as const) {
      expect(decisionRefusal({ ...proposal, status }, 'second', before)).toMatchObject({
        code: 'APPROVAL_ALREADY_DECIDED',
        details: { status },
      });
    }
  });

  it('asks two administrators for claims above the threshold only, 50,000 CNY unless the policy says otherwise', () => {
    expect(DEFAULT_POLICY.secondApprovalAboveFen).toBe(5_000_000);
    expect(DEFAULT_POLICY.approvalsExpireAfter).toBe('7d');
    expect(needsSecondApproval(5_000_000, DEFAULT_POLICY)).toBe(false);
    expect(needsSecondApproval(5_000_001, DEFAULT_POLICY)).toBe(true);
    expect(needsSecondApproval(2, PolicySchema.parse({ secondApprovalAboveFen: 1 }))).toBe(true);
  });

  it('refuses a policy whose proposals would wait for ever or whose threshold is not money', () => {
    expect(PolicySchema.safeParse({ approvalsExpireAfter: 'never' }).success).toBe(false);
    expect(PolicySchema.safeParse({ secondApprovalAboveFen: -1 }).success).toBe(false);
    expect(PolicySchema.safeParse({ secondApprovalAboveFen: 1.5 }).success).toBe(false);
  });

  it('takes a budget decrease from AVAILABLE only, naming the figures', () => {
    expect(budgetChangeRefusal(500_000, 0, 1_000_000)).toBeNull();
    expect(budgetChangeRefusal(-300_000, 300_000, 1_000_000)).toBeNull();
    expect(budgetChangeRefusal(-300_001, 300_000, 1_000_000)).toEqual({
      code: 'BUDGET_DECREASE_EXCEEDS_AVAILABLE',
      message: expect.stringContaining('300001') as string,
      details: { budgetFen: 1_000_000, decreaseFen: 300_001, availableFen: 300_000 },
    });
  });
});
