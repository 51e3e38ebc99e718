import { judgePassword } from '../../domain/password.ts';

/**
 * Runs in a thread of its own (see `password-judge.ts`): judging a password takes 5–40 ms of
 * uninterrupted work, which would otherwise hold up every other request of the API meanwhile.
 */
export default function judge(task: {
  password: string;
  person: { email: string; displayName?: string };
  minimumScore: number;
}) {
  return judgePassword(task.password, task.person, task.minimumScore);
}
