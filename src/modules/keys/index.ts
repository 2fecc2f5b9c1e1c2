/**
 * The platform's signing keys: Ed25519 (default) or SM2 with SM3 (国密), a registry of public keys
 * with their validity so that old signatures still verify after rotation, and their management.
 */
export { KeyRegistry, type KeyOptions } from './keys.registry.ts';
export { KeyService } from './keys.service.ts';
export { keyRoutes, PublishedKeySchema } from './keys.routes.ts';
export { checkSignature, signatureMatches } from './keys.crypto.ts';
export {
  ALGORITHMS,
  SM2_DEFAULT_USER_ID,
  type Algorithm,
  type KeyStatus,
  type PublishedKey,
  type SignatureCheck,
  type SignatureProblem,
  type Signer,
} from './keys.types.ts';
