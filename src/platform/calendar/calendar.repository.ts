import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { YearTable } from './working-days.ts';

export class CalendarRepository {
  constructor(private readonly db: Kysely<Schema>) {}

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

  /** Replaces the year's table in one transaction; true when an earlier table was replaced. */
  async replaceYear(table: YearTable): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx.deleteFrom('calendar_year').where('year', '=', table.year).executeTakeFirst();
      await trx.insertInto('calendar_year').values({ year: table.year, source: table.source }).execute();
      if (table.days.length > 0) {
        await trx
          .insertInto('calendar_day')
          .values(table.days.map((d) => ({ ...d, year: table.year })))
          .execute();
      }
      return removed.numDeletedRows > 0n;
    });
  }
}
