import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { YearTable } from './working-days.ts';

export class CalendarRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  async operatorTables(): Promise<YearTable[]> {
    const years = await this.db.selectFrom('calendar_year').select(['year', 'source']).execute();
    const days = await this.db
      .selectFrom('calendar_day')
      .select(['date', 'year', 'kind', 'name'])
      .orderBy('date')
      .execute();
    return years.map((y) => ({
      year: y.year,
      source: y.source,
      days: days.filter((d) => d.year === y.year).map(({ date, kind, name }) => ({ date, kind, name })),
    }));
  }

  /** Replaces the year's table (call inside a transaction); true when an earlier table was replaced. */
  async replaceYear(table: YearTable): Promise<boolean> {
    const removed = await this.db
      .deleteFrom('calendar_year')
      .where('year', '=', table.year)
      .executeTakeFirst();
    await this.db.insertInto('calendar_year').values({ year: table.year, source: table.source }).execute();
    if (table.days.length > 0) {
      await this.db
        .insertInto('calendar_day')
        .values(table.days.map((d) => ({ ...d, year: table.year })))
        .execute();
    }
    return removed.numDeletedRows > 0n;
  }
}
