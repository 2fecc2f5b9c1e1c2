/**
 * The database as Kysely sees it: one interface per table. Modules add their tables here together
 * with the migration that creates them.
 */
import type { ColumnType } from 'kysely';

/** A `timestamptz` column filled by the database. */
export type CreatedAt = ColumnType<Date, never, never>;

/** A holiday table an operator loaded for a year the calendar package does not cover (yet). */
export interface CalendarYearTable {
  year: number;
  /** The notice the table transcribes, e.g. 国务院办公厅关于20xx年部分节假日安排的通知. */
  source: string;
  loaded_at: CreatedAt;
}

export interface CalendarDayTable {
  date: string;
  year: number;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface Schema {
  calendar_year: CalendarYearTable;
  calendar_day: CalendarDayTable;
}
