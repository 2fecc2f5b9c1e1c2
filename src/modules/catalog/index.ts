/** The public credit information catalog (目录制管理): what may be recorded, shared and disclosed. */
export { CatalogService, CatalogRuleError, shippedBaseCatalog, type LoadResult } from './catalog.service.ts';
export { catalogRoutes } from './catalog.routes.ts';
export { presentItem } from './catalog.presenter.ts';
export {
  refuseDesignatedTemplate,
  TEMPLATE_FORMATS,
  templateCsv,
  templateCsvText,
  templateXlsx,
  type TemplateFormat,
} from './catalog.template.ts';
export {
  checkCatalog,
  collects,
  collectorsMessage,
  describeCollectors,
  DESIGNATED_ITEMS,
  type CollectingDepartment,
  personalFieldsDisclosable,
  NATIONAL_LONGEST_MONTHS,
  type Violation,
} from './catalog.rules.ts';
export {
  decideTier,
  displayPeriod,
  displayWindow,
  splitPenaltyTypes,
  type TierDecision,
  type DisplayWindow,
} from './catalog.severity.ts';
export {
  DEFAULT_OBJECTION_WORKING_DAYS,
  DEFAULT_REPAIR_WORKING_DAYS,
  CatalogFileSchema,
  CATEGORIES,
  LEGAL_RANKS,
  REPAIR_OUTCOMES,
  SUBJECT_KINDS,
  TIERS,
  type CatalogItem,
  type Category,
  type Collectors,
  type Field,
  type LegalBasis,
  type LegalRank,
  type RepairOutcome,
  type SubjectKind,
  type Tier,
} from './catalog.schema.ts';
export type { ItemRow, CatalogRow } from './catalog.repository.ts';
