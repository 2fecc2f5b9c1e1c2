/**
 * How personal values are kept: a code is found by its keyed hash, a citizen ID kept only
 * encrypted and masked; a person's name or ID in a payload is sealed (encrypted, with the masked
 * form beside it: records/ reads it).
 */
import type { DataProtector } from '../../platform/index.ts';
import { maskCitizenId, maskName } from '../identifiers/index.ts';
import type { ProtectedCode, ProtectedPerson } from './ingest.commit.ts';
import type { RowOutcome, SubjectCode } from './ingest.validate.ts';

export function isPersonalCode(kind: string): boolean {
  return kind === 'citizen_id' || kind === 'citizen_id15';
}

export function protectCode(protector: DataProtector, c: SubjectCode): ProtectedCode {
  const personal = isPersonalCode(c.kind);
  return {
    kind: c.kind,
    hash: protector.hash(c.kind, c.value),
    value: personal ? null : c.value,
    encrypted: personal ? protector.encrypt(c.value) : null,
    masked: personal ? maskCitizenId(c.value) : c.value,
  };
}

export function protectPerson(
  protector: DataProtector,
  p: NonNullable<RowOutcome['person']>,
): ProtectedPerson {
  return {
    code: p.code === undefined ? null : protectCode(protector, p.code),
    masked: maskName(p.name),
    nameEncrypted: protector.encrypt(p.name),
    role: p.role,
    since: p.since ?? null,
    until: p.until ?? null,
  };
}
