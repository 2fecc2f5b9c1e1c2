/** A conduct report's next deadline: to acknowledge it, then to answer it; none once answered. */
import type { ConductReport } from './review';

export function nextDue(r: ConductReport): { dueOn: string | null; what: 'acknowledge' | 'answer' | null } {
  if (r.status === 'answered') {
    return { dueOn: null, what: null };
  }
  return r.acknowledged
    ? { dueOn: r.answerBy, what: 'answer' }
    : { dueOn: r.acknowledgeBy, what: 'acknowledge' };
}
