/**
 * The list entry a decision (or a confirmation, or a flag) makes: a record of the list type's
 * catalog item, holding only the item's fields, a person's name sealed, displayed until the
 * listing's validity ends.
 */
import { canonicalJson, type DataProtector } from '../../platform/index.ts';
import type { ActorDepartment } from '../auth/index.ts';
import type { ItemRow } from '../catalog/index.ts';
import type { CaseRow, ListsRepository } from './lists.repository.ts';
import type { ListTypeDefinition } from './lists.types.ts';

export async function makeListEntry(
  repo: ListsRepository,
  protector: DataProtector,
  c: CaseRow,
  def: ListTypeDefinition,
  row: ItemRow,
  at: {
    number: string;
    today: string;
    validUntil: string | null;
    department: ActorDepartment;
    /** The supervisory measures of a watch-list flag. */
    supervision?: string;
  },
): Promise<number> {
  const item = row.definition;
  const { subject, uscc } = await repo.entrySubject(c.subject_id);
  const dept = await repo.department(at.department.code);
  const person = subject.kind === 'natural_person';
  const name =
    person && subject.name_encrypted !== null ? protector.decrypt(subject.name_encrypted) : subject.name;
  const clear: Record<string, unknown> = {
    subject_name: name,
    uscc: uscc ?? undefined,
    list_type: def.nameZh,
    list_name: def.nameZh,
    reason: c.facts.reasons,
    listing_basis: c.facts.basis,
    decision_no: at.number,
    listed_on: at.today,
    valid_until: at.validUntil ?? undefined,
    authority: dept.name,
    authority_uscc: dept.uscc ?? undefined,
    removal_conditions: def.removal.conditions,
    supervision: at.supervision,
    data_source: dept.name,
    data_source_uscc: dept.uscc ?? undefined,
  };
  const keys = new Set(item.fields.map((f) => f.key));
  const kept = Object.fromEntries(
    Object.entries(clear).filter(([k, v]) => keys.has(k) && v !== undefined && v !== null),
  );
  const payload = { ...kept };
  if (person) {
    payload.subject_name = { $sealed: protector.encrypt(name), masked: subject.name };
  }
  return repo.insertRecord({
    subjectId: c.subject_id,
    department: at.department.code,
    item: item.code,
    catalogVersionId: row.versionId,
    identityKey: at.number.normalize('NFKC').replace(/\s+/g, ''),
    payload,
    digest: protector.hash('identity', canonicalJson(kept)),
    decisionDate: at.today,
    tier: def.kind === 'serious_dishonesty' ? 'serious' : null,
    validUntil: at.validUntil,
    displayPublic: item.display.default?.public ?? item.disclosure === 'public',
  });
}
