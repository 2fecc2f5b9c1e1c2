/**
 * Only the collecting department sends an item (国办发〔2020〕49号（一）: information is recorded by
 * the department that determines it). Checked before a file is read, for files, records sent by API
 * and revocations alike; each row's source code (数据来源单位统一社会信用代码) must then be the
 * sending department's own.
 */
import type { Kysely, Transaction } from 'kysely';
import { ForbiddenError, msg, RuleViolationError } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { collectorsMessage, collects, DESIGNATED_ITEMS, type CatalogItem } from '../catalog/index.ts';

export interface Collector {
  code: string;
  /** The department's unified social credit code, which its rows must give as their source. */
  uscc: string | null;
  /** The domains it serves: its records are of the first, unless a batch names another. */
  domains: string[];
}

/** Refuses (collect.department, collect.source) unless `department` may send records of `item`. */
export async function collectorOf(
  db: Kysely<Schema> | Transaction<Schema>,
  item: CatalogItem,
  department: string,
): Promise<Collector> {
  const row = await db
    .selectFrom('department')
    .select(['code', 'level', 'domains', 'uscc'])
    .where('code', '=', department)
    .executeTakeFirst();
  if (row === undefined || !collects(item, row)) {
    throw new ForbiddenError(
      msg('ingest.collect.department', {
        department,
        item: item.code,
        name: item.nameZh,
        collectors: collectorsMessage(item),
      }),
      { field: 'item', value: item.code, rule: 'collect.department' },
    );
  }
  if (row.uscc === null && item.fields.some((f) => f.role === 'source_code')) {
    throw new RuleViolationError(msg('ingest.collect.no_uscc', { department }), {
      field: 'department',
      value: department,
      rule: 'collect.source',
    });
  }
  return { code: row.code, uscc: row.uscc, domains: row.domains };
}

/** A listing is made by a designation case, with its notice, objection window and decision; never by a file. */
export function refuseDesignatedItem(item: string): void {
  if (DESIGNATED_ITEMS.includes(item)) {
    throw new RuleViolationError(msg('ingest.designated', { item }), {
      field: 'item',
      value: item,
      rule: 'list.by_case',
    });
  }
}
