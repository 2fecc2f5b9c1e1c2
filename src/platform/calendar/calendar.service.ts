import type { Kysely } from 'kysely';
import type { AuditActor, AuditWriter } from '../audit.ts';
import { parseWith } from '../errors.ts';
import type { Schema } from '../db/schema.ts';
import { CalendarRepository } from './calendar.repository.ts';
import { YearTableFileSchema } from './calendar.schema.ts';
import { WorkingDayCalendar } from './working-days.ts';

export interface LoadedYear {
  year: number;
  source: string;
  holidays: number;
  workdays: number;
  replaced: boolean;
}

/** Holds the current calendar snapshot and loads operator tables into the database. */
export class CalendarService {
  private readonly repository: CalendarRepository;
  private snapshot = new WorkingDayCalendar();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
  ) {
    this.repository = new CalendarRepository(db);
  }

  /** The calendar as last read; `refresh()` picks up tables loaded since. */
  current(): WorkingDayCalendar {
    return this.snapshot;
  }

  async refresh(): Promise<WorkingDayCalendar> {
    this.snapshot = new WorkingDayCalendar(await this.repository.operatorTables());
    return this.snapshot;
  }

  /** Validates a year table (see YearTableFileSchema) and stores it, replacing any earlier one. */
  async loadYearTable(input: unknown, actor: AuditActor): Promise<LoadedYear> {
    const table = parseWith(YearTableFileSchema, input);
    const replaced = await this.db.transaction().execute(async (trx) => {
      const replacedEarlier = await new CalendarRepository(trx).replaceYear({
        year: table.year,
        source: table.source,
        days: [
          ...table.holidays.map((d) => ({ ...d, kind: 'holiday' as const })),
          ...table.workdays.map((d) => ({ ...d, kind: 'workday' as const })),
        ],
      });
      await this.audit.append(trx, {
        actor,
        action: 'calendar.load',
        target: { kind: 'calendar_year', id: String(table.year) },
        details: {
          source: table.source,
          holidays: table.holidays.length,
          workdays: table.workdays.length,
          replaced: replacedEarlier,
        },
      });
      return replacedEarlier;
    });
    await this.refresh();
    return {
      year: table.year,
      source: table.source,
      holidays: table.holidays.length,
      workdays: table.workdays.length,
      replaced,
    };
  }
}
