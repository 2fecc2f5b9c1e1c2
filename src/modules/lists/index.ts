/** Lists with due process: list types, designation cases, removal. */
export {
  ListService,
  type CaseView,
  type MeasuresOfList,
  type ProposeRequest,
  type StepRequest,
} from './lists.service.ts';
export { listRoutes } from './lists.routes.ts';
export { shippedListTypes, demoSeriousListType } from './lists.shipped.ts';
export {
  checkListType,
  designationRefusal,
  effectiveStatus,
  joined,
  minorAt,
  refuseAll,
  stepRefusal,
  type Refusal,
} from './lists.rules.ts';
export {
  LIST_KINDS,
  SERIOUS_CATEGORIES,
  ITEM_OF_KIND,
  type ListKind,
  type ListTypeDefinition,
  type SeriousCategory,
} from './lists.types.ts';
