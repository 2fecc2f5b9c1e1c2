/**
 * The words of a subject's cases: each status and outcome of an objection or a repair application
 * in the reader's language, the colour of its tag, and whether the department is late.
 */
import { useI18n } from 'vue-i18n';
import type { Objection, Repair } from './me';

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

const OBJECTION_TAGS: Record<Objection['status'], TagType> = {
  open: 'warning',
  upheld: 'success',
  rejected: 'info',
};
const REPAIR_TAGS: Record<Repair['status'], TagType> = {
  submitted: 'warning',
  returned: 'danger',
  approved: 'success',
  refused: 'info',
};

/** Open cases first (the nearest deadline first), then the decided, the latest first. */
export function openFirst<T extends { id: number; dueOn: string }>(
  cases: readonly T[],
  open: (c: T) => boolean,
): T[] {
  return [...cases].sort((a, b) => {
    const oa = open(a);
    const ob = open(b);
    if (oa !== ob) {
      return oa ? -1 : 1;
    }
    return oa ? a.dueOn.localeCompare(b.dueOn) || a.id - b.id : b.id - a.id;
  });
}

export function useCaseWords() {
  const i18n = useI18n();
  const t = (key: string) => i18n.t(key);
  const word = (key: string, fallback: string) => (i18n.te(key) ? i18n.t(key) : fallback);
  return {
    objectionStatus: (o: Objection) => word(`me.objection.status.${o.status}`, o.status),
    objectionTag: (o: Objection) => OBJECTION_TAGS[o.status],
    objectionOutcome: (o: Objection) =>
      o.outcome === null ? '' : word(`me.objection.outcome.${o.outcome}`, o.outcome),
    /** Open past the department's deadline (working days), or past 20 calendar days. */
    objectionLate: (o: Objection) => o.status === 'open' && (o.pastDue || o.overdue),
    repairStatus: (r: Repair) => word(`me.repair.status.${r.status}`, r.status),
    repairTag: (r: Repair) => REPAIR_TAGS[r.status],
    repairOutcome: (r: Repair) =>
      r.outcome === null ? '' : word(`me.repair.outcome.${r.outcome}`, r.outcome),
    /**
     * What the decision text of an application is: the reasons of a decision, of a return, or
     * (sent again since) of the earlier return, which the platform keeps on the application.
     */
    repairDecisionLabel: (r: Repair) =>
      r.status === 'returned'
        ? t('me.repair.returnReasons')
        : r.status === 'submitted'
          ? t('me.repair.earlierReturn')
          : t('me.case.decision'),
    repairLate: (r: Repair) => r.status === 'submitted' && r.pastDue,
    via: (c: Objection | Repair) =>
      c.filedVia === 'account'
        ? t('me.case.viaAccount')
        : t(c.receivedAs === 'written' ? 'me.case.viaWritten' : 'me.case.viaWindow'),
  };
}
