/**
 * The portal's figures: how many records the public can see today, per category, and how many of
 * them arrived in the last 7 and 30 days (the "double publicity" of licences and penalties, 双公示).
 * Counted with the same conditions as the public file (`decide`): current records of items the
 * catalog discloses, within their display period, not revoked nor repaired away, of organisations
 * and individual businesses (a natural person's record is counted nowhere: whether it is public
 * depends on the person's consent and the item's basis, decided one record at a time). Kept for a
 * minute: the figures are an overview, not a ledger.
 */
import { sql, type Kysely } from 'kysely';
import { processCache, type ProcessCache } from '../../platform/index.ts';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import type { Schema } from '../../platform/db/index.ts';

export interface CategoryCount {
  category: string;
  /** Records the public sees today. */
  public: number;
  /** Of them, received in the last 7 days, and in the last 30. */
  last7Days: number;
  last30Days: number;
}

export interface PortalStats {
  asOf: string;
  categories: CategoryCount[];
}

export const STATS_MAX_AGE_MS = 60_000;

export class PortalStatsService {
  private readonly cache: ProcessCache<string, PortalStats>;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly today: () => string = todayInShanghai,
  ) {
    this.cache = processCache((asOf) => this.count(asOf), { max: 2, maxAgeMs: STATS_MAX_AGE_MS });
  }

  stats(): Promise<PortalStats> {
    return this.cache.get(this.today());
  }

  private async count(asOf: string): Promise<PortalStats> {
    const { rows } = await sql<{ category: string; public: string; last7: string; last30: string }>`
      select i.category,
        count(*) as public,
        count(*) filter (where r.received_at >= ${asOf}::date - 7) as last7,
        count(*) filter (where r.received_at >= ${asOf}::date - 30) as last30
      from record r
      join catalog_item i on i.code = r.item_code
      join subject s on s.id = r.subject_id
      where r.is_current
        and r.display_public
        and r.status in ('active', 'under_objection')
        and (r.repair_outcome is null or r.repair_outcome = 'mark_repaired')
        and (r.longest_until is null or r.longest_until > ${asOf}::date)
        and i.definition ->> 'disclosure' = 'public'
        and s.kind <> 'natural_person'
      group by i.category
      order by i.category`.execute(this.db);
    return {
      asOf,
      categories: rows.map((r) => ({
        category: r.category,
        public: Number(r.public),
        last7Days: Number(r.last7),
        last30Days: Number(r.last30),
      })),
    };
  }
}
