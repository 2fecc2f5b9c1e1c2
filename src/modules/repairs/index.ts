/**
 * Credit repair (信用修复): applied for by the subject, free, when the record's eligibility allows;
 * decided by the department that determined the record; the catalog's outcome applied through
 * records/ or the list's own removal step.
 */
export { RepairService } from './repairs.service.ts';
export { repairRoutes } from './repairs.routes.ts';
export {
  REPAIR_COMMITMENT_TEXT,
  REPAIR_WORKING_DAYS,
  type ApplyRequest,
  type RepairDecision,
  type RepairView,
} from './repairs.types.ts';
