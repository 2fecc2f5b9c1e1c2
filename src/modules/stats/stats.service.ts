/**
 * The dashboards' figures for the platform administrator and the auditor: records in force by
 * catalog category and by region, and the open cases of each kind by age in working days (from the
 * day each was filed, received or proposed, on the platform's working-day calendar) with those
 * past their deadline counted. Platform-wide figures: the policy's `quality.read` for any
 * department, which only the administrator and the auditor hold (a department's clerk or reviewer
 * reads its own figures on the quality page).
 */
import type { Kysely } from 'kysely';
import type { WorkingDayCalendar } from '../../platform/calendar/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, type Actor } from '../auth/index.ts';
import { lookupDivision } from '../identifiers/index.ts';
import { StatsRepository, type CaseKind, type CategoryRow } from './stats.repository.ts';

export const CASE_KINDS: readonly CaseKind[] = ['objection', 'repair', 'conduct_report', 'designation'];

/** Age buckets in working days: each up to and including `to` (null: no upper end). */
export const AGE_BUCKETS: ReadonlyArray<{ from: number; to: number | null }> = [
  { from: 0, to: 5 },
  { from: 6, to: 10 },
  { from: 11, to: 20 },
  { from: 21, to: 60 },
  { from: 61, to: null },
];

export interface RecordStats {
  asOf: string;
  total: number;
  byCategory: CategoryRow[];
  byDivision: Array<{ division: string | null; name: string | null; records: number }>;
}

export interface CaseKindStats {
  kind: CaseKind;
  open: number;
  /** Past their deadline; null for a kind whose steps have no deadline (designation cases). */
  overdue: number | null;
  /** Open cases per age bucket, in the order of `buckets`. */
  byAge: number[];
  /** The oldest open case's age in working days, or null when none is open. */
  oldest: number | null;
}

export interface CaseStats {
  asOf: string;
  buckets: Array<{ from: number; to: number | null }>;
  kinds: CaseKindStats[];
}

export class StatsService {
  private readonly repository: StatsRepository;

  constructor(
    db: Kysely<Schema>,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly today: () => string,
  ) {
    this.repository = new StatsRepository(db);
  }

  async records(actor: Actor): Promise<RecordStats> {
    authorize(actor, 'quality.read');
    const [byCategory, byDivision] = await Promise.all([
      this.repository.recordsByCategory(),
      this.repository.recordsByDivision(),
    ]);
    return {
      asOf: this.today(),
      total: byCategory.reduce((n, c) => n + c.records, 0),
      byCategory,
      byDivision: byDivision.map((d) => ({
        division: d.division,
        name: d.division === null ? null : lookupDivision(d.division).name,
        records: d.records,
      })),
    };
  }

  async cases(actor: Actor): Promise<CaseStats> {
    authorize(actor, 'quality.read');
    const today = this.today();
    const calendar = this.calendar();
    const rows = await this.repository.openCases(today);
    const kinds = CASE_KINDS.map((kind): CaseKindStats => {
      const open = rows.filter((r) => r.kind === kind);
      const ages = open.map((r) => Math.max(0, calendar.workingDaysBetween(r.since, today).value));
      return {
        kind,
        open: open.length,
        overdue: kind === 'designation' ? null : open.filter((r) => r.overdue === true).length,
        byAge: AGE_BUCKETS.map((b) => ages.filter((a) => a >= b.from && (b.to === null || a <= b.to)).length),
        oldest: ages.length === 0 ? null : Math.max(...ages),
      };
    });
    return { asOf: today, buckets: AGE_BUCKETS.map((b) => ({ ...b })), kinds };
  }
}
