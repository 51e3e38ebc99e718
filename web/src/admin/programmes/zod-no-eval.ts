import { z } from 'zod';

// The portal's content security policy forbids eval: zod is told not to try its compiled fast path
// (the attempt alone is reported as a violation). Imported before any schema is built.
z.config({ jitless: true });
