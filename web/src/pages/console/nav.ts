/**
 * The console's pages for each role: what the sidebar lists. The pages themselves live in their
 * areas (`pages/console-<area>/routes.ts`); an entry here whose page is not built yet is left out
 * of the sidebar by the router (see `ConsoleLayout`).
 */
export type Role =
  | 'platform_admin'
  | 'data_clerk'
  | 'reviewer'
  | 'credit_officer'
  | 'institution_user'
  | 'auditor'
  | 'subject_user'
  | 'service_desk';

export interface NavEntry {
  /** Message key under `console.nav`. */
  key: string;
  to: string;
}

export const CONSOLE_NAV: Readonly<Record<Role, readonly NavEntry[]>> = {
  data_clerk: [
    { key: 'upload', to: '/console/batches/new' },
    { key: 'batches', to: '/console/batches' },
    { key: 'review', to: '/console/review' },
    { key: 'quality', to: '/console/quality' },
    { key: 'templates', to: '/console/templates' },
  ],
  reviewer: [
    { key: 'objections', to: '/console/objections' },
    { key: 'repairs', to: '/console/repairs' },
    { key: 'designations', to: '/console/designations' },
    { key: 'commitments', to: '/console/commitments' },
    { key: 'conductReports', to: '/console/conduct-reports' },
    { key: 'quality', to: '/console/quality' },
    { key: 'evaluations', to: '/console/evaluations' },
    { key: 'inspections', to: '/console/inspections' },
  ],
  credit_officer: [
    { key: 'check', to: '/console/checks' },
    { key: 'batchCheck', to: '/console/checks/batch' },
    { key: 'feedback', to: '/console/feedback' },
    { key: 'evaluations', to: '/console/evaluations' },
    { key: 'inspections', to: '/console/inspections' },
  ],
  platform_admin: [
    { key: 'dashboards', to: '/console/dashboards' },
    { key: 'catalog', to: '/console/admin/catalog' },
    { key: 'listTypes', to: '/console/admin/list-types' },
    { key: 'measures', to: '/console/admin/measures' },
    { key: 'departments', to: '/console/admin/departments' },
    { key: 'users', to: '/console/admin/users' },
    { key: 'tokens', to: '/console/admin/tokens' },
    { key: 'evaluations', to: '/console/evaluations' },
    { key: 'evaluationModels', to: '/console/evaluation-models' },
  ],
  auditor: [
    { key: 'audit', to: '/console/audit' },
    { key: 'dashboards', to: '/console/dashboards' },
    { key: 'evaluations', to: '/console/evaluations' },
  ],
  subject_user: [
    { key: 'ownFile', to: '/me' },
    { key: 'cases', to: '/me/cases' },
    { key: 'authorisations', to: '/me/authorisations' },
    { key: 'commitments', to: '/me/commitments' },
    { key: 'ownEvaluation', to: '/me/evaluation' },
  ],
  institution_user: [],
  service_desk: [],
};
