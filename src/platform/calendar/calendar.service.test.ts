import { describe, expect, it } from 'vitest';
import { testAudit, useTestDatabase } from '../../../test/support/database.ts';
import { ValidationError } from '../errors.ts';
import { CalendarService } from './calendar.service.ts';

const db = useTestDatabase();

// 2031-01-01 is a Wednesday; 2031-01-04 a Saturday.
const table2031 = {
  year: 2031,
  source: '国务院办公厅关于2031年部分节假日安排的通知（测试）',
  holidays: [
    { date: '2031-01-01', name: '元旦' },
    { date: '2031-01-02', name: '元旦' },
  ],
  workdays: [{ date: '2031-01-04', name: '元旦调休' }],
};

async function loadError(input: unknown): Promise<ValidationError> {
  try {
    await new CalendarService(db().db, testAudit(db())).loadYearTable(input, { label: 'system:test' });
  } catch (err) {
    if (err instanceof ValidationError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('operator-loaded holiday tables', () => {
  it('stores a year table and stops flagging that year as provisional', async () => {
    const service = new CalendarService(db().db, testAudit(db()));
    await service.refresh();
    expect(service.current().addWorkingDays('2030-12-31', 1).provisional).toBe(true);
    const loaded = await service.loadYearTable(table2031, { label: 'system:test' });
    expect(loaded).toEqual({
      year: 2031,
      source: table2031.source,
      holidays: 2,
      workdays: 1,
      replaced: false,
    });
    const result = service.current().addWorkingDays('2030-12-31', 1);
    expect(result.value).toBe('2031-01-03');
    expect(result.uncoveredYears).toEqual([2030]);

    // A second service (another process) reads the same table from the database.
    const other = new CalendarService(db().db, testAudit(db()));
    await other.refresh();
    expect(other.current().isWorkingDay('2031-01-04')).toBe(true);
    expect(
      other
        .current()
        .coverage()
        .find((c) => c.year === 2031)?.source,
    ).toBe(table2031.source);
  });

  it('replaces an earlier table of the same year', async () => {
    const service = new CalendarService(db().db, testAudit(db()));
    const loaded = await service.loadYearTable(
      { ...table2031, holidays: [{ date: '2031-01-01', name: '元旦' }], workdays: [] },
      { label: 'system:test' },
    );
    expect(loaded.replaced).toBe(true);
    expect(service.current().isWorkingDay('2031-01-02')).toBe(true);
    expect(service.current().isWorkingDay('2031-01-04')).toBe(false);
  });

  it('names the field, the value and the rule of a bad table, and stores nothing', async () => {
    const weekdayAsWorkday = await loadError({
      ...table2031,
      year: 2032,
      holidays: [{ date: '2032-01-01', name: '元旦' }],
      workdays: [{ date: '2032-01-05', name: 'x' }],
    });
    expect(weekdayAsWorkday.toBody()).toMatchObject({
      field: 'workdays.0.date',
      value: '2032-01-05',
      rule: 'custom',
    });
    expect(weekdayAsWorkday.message).toMatch(/^workdays\.0\.date: 2032-01-05 is a weekday already/);

    const wrongYear = await loadError({ ...table2031, holidays: [{ date: '2030-12-31', name: 'x' }] });
    expect(wrongYear.message).toBe('holidays.0.date: 2030-12-31 is not in 2031');

    const noSource = await loadError({ ...table2031, source: ' ' });
    expect(noSource.field).toBe('source');

    const badDate = await loadError({ ...table2031, holidays: [{ date: '2031-02-30', name: 'x' }] });
    expect(badDate.message).toBe('holidays.0.date: must be a real date written YYYY-MM-DD');

    const service = new CalendarService(db().db, testAudit(db()));
    await service.refresh();
    expect(service.current().isCovered(2032)).toBe(false);
  });
});
