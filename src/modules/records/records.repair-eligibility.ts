/**
 * Whether a record may be repaired (信用修复, 国办发〔2020〕49号（十一）（十二）), as a pure function of the
 * record, its catalog item and the day — shown in the file before anyone applies, and checked again
 * when an application is made and when it is decided. It answers "eligible" (with what the repair
 * will do and what the application must carry), "not yet, from <date>", or "never, because <basis>".
 */
import { msg, type Message } from '../../platform/index.ts';
import type { CatalogItem, RepairOutcome } from '../catalog/index.ts';
import type { RecordStatus } from './records.types.ts';

/** What an application must carry: evidence that the decision was fulfilled, and a signed repair commitment. */
export const REPAIR_REQUIRES = ['fulfilment_evidence', 'repair_commitment'] as const;

export interface RepairFacts {
  status: RecordStatus;
  repairOutcome: RepairOutcome | null;
  shortestUntil: string | null;
  longestUntil: string | null;
}

export type RepairEligibility =
  | {
      verdict: 'eligible';
      rule: 'repair.eligible';
      /** What an approved repair does: the catalog item's outcome (ending publication for penalties). */
      outcome: RepairOutcome;
      requires: typeof REPAIR_REQUIRES;
      message: Message;
    }
  | { verdict: 'not_yet'; rule: string; from: string | null; message: Message }
  | { verdict: 'never'; rule: string; message: Message; basis?: string };

export function repairEligibility(record: RepairFacts, item: CatalogItem, today: string): RepairEligibility {
  if (item.repair?.repairable !== true) {
    const unrepairable = item.legalBases.find((b) => (b.uses as readonly string[]).includes('unrepairable'));
    return {
      verdict: 'never',
      rule: 'repair.not_repairable',
      message:
        unrepairable === undefined
          ? msg('records.repair.not_repairable', { item: item.nameZh })
          : msg('records.repair.unrepairable_basis', { item: item.nameZh, basis: unrepairable.basis }),
      ...(unrepairable === undefined ? {} : { basis: unrepairable.basis }),
    };
  }
  if (record.status === 'revoked') {
    return { verdict: 'never', rule: 'repair.revoked', message: msg('records.repair.revoked') };
  }
  if (record.status === 'repaired' || record.repairOutcome !== null) {
    return { verdict: 'never', rule: 'repair.done', message: msg('records.repair.done') };
  }
  if (record.longestUntil !== null && today >= record.longestUntil) {
    return {
      verdict: 'never',
      rule: 'repair.display_ended',
      message: msg('records.repair.display_ended', { date: record.longestUntil }),
    };
  }
  if (record.status === 'under_objection') {
    return {
      verdict: 'not_yet',
      rule: 'repair.objection_open',
      from: null,
      message: msg('records.repair.objection_open'),
    };
  }
  if (record.shortestUntil !== null && today < record.shortestUntil) {
    return {
      verdict: 'not_yet',
      rule: 'repair.shortest_period',
      from: record.shortestUntil,
      message: msg('records.repair.not_yet', { date: record.shortestUntil }),
    };
  }
  const outcome = item.repair.outcome ?? (item.isList ? 'remove_from_list' : 'end_disclosure');
  return {
    verdict: 'eligible',
    rule: 'repair.eligible',
    outcome,
    requires: REPAIR_REQUIRES,
    message: msg('records.repair.eligible', { outcome: msg(`records.repair.outcome.${outcome}`) }),
  };
}
