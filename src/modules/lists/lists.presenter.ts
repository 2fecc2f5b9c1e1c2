/** A designation case as the API shows it: what happened, when, by whom, with which document. */
import type { CaseDocument } from './lists.documents.ts';
import type { CaseSummary, CaseView } from './lists.service.ts';

export function presentCase(v: CaseView) {
  const c = v.case;
  return {
    id: c.id,
    listType: { code: v.listType.code, name: v.listType.nameZh, kind: v.listType.kind },
    subjectId: c.subject_id,
    department: c.department_code,
    status: v.status,
    removedByClock: v.status === 'removed' && c.status === 'listed',
    facts: c.facts,
    leniency: c.leniency,
    notifiedOn: c.notified_on,
    objectionUntil: c.objection_until,
    decidedOn: c.decided_on,
    validUntil: c.valid_until,
    recordId: c.record_id,
    removedOn: c.removed_on,
    removal: c.removal,
    steps: v.steps.map((s) => ({
      id: s.id,
      step: s.step,
      on: s.on_day,
      by: s.by_actor,
      document:
        s.document_kind === null
          ? null
          : {
              kind: s.document_kind,
              number: s.document_number,
              // Kept as issued (lists.steps.ts): a step with a document kind has its structure.
              content: s.document as CaseDocument,
              href: `/api/list-cases/${c.id}/documents/${s.id}`,
            },
    })),
  };
}

/** A case in a department's queue, as `GET /api/list-cases` lists it. */
export function presentSummary(v: CaseSummary) {
  const c = v.case;
  return {
    id: c.id,
    listType: { code: v.listType.code, name: v.listType.nameZh, kind: v.listType.kind },
    subject: v.subject,
    department: c.department_code,
    status: v.status,
    open: v.open,
    proposedOn: c.created_at.toISOString(),
    notifiedOn: c.notified_on,
    objectionUntil: c.objection_until,
    decidedOn: c.decided_on,
    validUntil: c.valid_until,
    removedOn: c.removed_on,
    nextSteps: v.nextSteps,
    dueOn: v.dueOn,
    due: v.due,
  };
}
