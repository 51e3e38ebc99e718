// Every workflow the worker runs. Workflow code is bundled and sandboxed: it imports activities
// as types only and never touches Node built-ins, the clock or randomness directly.
export { auditVerification } from './audit-verification';
export { booking } from './booking';
export { payoutBatch } from './payout-batch';
export { programmeSetup } from './programme-setup';
export { providerOnboarding } from './provider-onboarding';
export { selfTest } from './self-test';
export { settlement } from './settlement';
export { voucherApplication } from './voucher-application';
