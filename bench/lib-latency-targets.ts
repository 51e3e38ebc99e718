/** The requests of a journey that move a process (a workflow update, start or update-with-start). */
export const ACTION_ROUTES = [
  'POST /applications',
  'POST /applications/:id/decision',
  'POST /bookings',
  'POST /bookings/:id/confirm',
  'POST /bookings/:id/sample-received',
  'POST /bookings/:id/report',
  'POST /bookings/:id/accept',
  'POST /bookings/:id/copayment',
] as const;

/** What a person should wait at most for such an action, 95 times in 100: on an idle machine, and at half its capacity. */
export const TARGET_P95_MS = { idle: 100, halfCapacity: 300 } as const;
