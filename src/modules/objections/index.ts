/**
 * Objections (异议): a subject disputes one of its records; the record is marked at once, the
 * department that supplied it decides within its deadline, and the outcome is applied through
 * records/ (or the list's own removal step) and told to the subject with its remedies.
 */
export { ObjectionService } from './objections.service.ts';
export { objectionRoutes } from './objections.routes.ts';
export {
  OBJECTION_OVERDUE_DAYS,
  OBJECTION_WORKING_DAYS,
  type DecideRequest,
  type FileRequest,
  type ObjectionView,
} from './objections.types.ts';
