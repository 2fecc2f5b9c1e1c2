/** Identifiers: codes of subjects, their checks, divisions and masking. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export { validate, echoed, MAX_INPUT_LENGTH, type ValidateOptions } from './validate.ts';
export { normalizeCode, type Normalized } from './normalize.ts';
export { validateUscc, usccCheckChar, USCC_ALPHABET } from './uscc.ts';
export { validateOrgCode, orgCodeCheckChar } from './gb11714.ts';
export {
  validateCitizenId,
  validateCitizenId15,
  citizenId15To18,
  citizenIdCheckChar,
  citizenIdFacts,
  type CitizenIdFacts,
} from './citizen-id.ts';
export {
  validateRegNo15,
  validateTaxpayerId15,
  validateInstitutionCert12,
  regNoCheckDigit,
  crossCheck,
} from './legacy-codes.ts';
export { lookupDivision, divisionCounts, type Division, type DivisionCounts } from './divisions.ts';
export { applyMask, maskCitizenId, maskName, keepEnds, type MaskRule } from './mask.ts';
/**
 * The HTTP routes, loaded when the server registers them: a command that only checks codes
 * (`xinyong id`) does not load the HTTP stack and its schemas.
 */
export const identifierRoutes: FastifyPluginAsyncZod = async (app, options) =>
  (await import('./identifiers.routes.ts')).identifierRoutes(app, options);
export { presentCheck, presentValidation } from './identifiers.presenter.ts';
export {
  IDENTIFIER_KINDS,
  type Check,
  type CheckResult,
  type Change,
  type IdentifierKind,
  type IdentifierValidation,
  type Parts,
  type PresentedCheck,
  type PresentedValidation,
} from './identifiers.types.ts';
