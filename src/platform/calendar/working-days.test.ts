import { describe, expect, it } from 'vitest';
import { addDays, todayInShanghai, weekday } from './civil-date.ts';
import { WorkingDayCalendar } from './working-days.ts';

const calendar = new WorkingDayCalendar();

describe('working-day calendar', () => {
  it('knows holidays and make-up workdays from the official arrangement', () => {
    expect(calendar.dayInfo('2025-10-01')).toMatchObject({
      working: false,
      reason: '国庆节',
      provisional: false,
    });
    expect(calendar.dayInfo('2025-09-28')).toMatchObject({ working: true, reason: '国庆节' }); // a Sunday
    expect(calendar.dayInfo('2026-11-21')).toMatchObject({ working: false, reason: 'weekend' });
    expect(calendar.dayInfo('2026-11-20')).toMatchObject({ working: true, reason: 'weekday' });
  });

  it('counts 7 working days across the Spring Festival and its make-up Saturdays', () => {
    // Friday 13 Feb 2026: Sat 14 (make-up), 15–23 off, 24–27, Sat 28 (make-up), Mon 2 March.
    expect(calendar.addWorkingDays('2026-02-13', 7)).toEqual({
      value: '2026-03-02',
      provisional: false,
      uncoveredYears: [],
    });
    expect(calendar.workingDaysBetween('2026-02-13', '2026-03-02').value).toBe(7);
    expect(calendar.workingDaysBetween('2026-03-02', '2026-02-13').value).toBe(-7);
    expect(calendar.addWorkingDays('2026-03-02', -7).value).toBe('2026-02-13');
    expect(calendar.addWorkingDays('2025-09-30', 1).value).toBe('2025-10-09');
    expect(calendar.addWorkingDays('2026-11-20', 0).value).toBe('2026-11-20');
  });

  it('inverts: the working days between a date and n working days later are n', () => {
    for (const start of ['2025-09-26', '2025-12-31', '2026-04-30', '2026-09-24']) {
      for (const n of [1, 5, 7, 20]) {
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n).value).value).toBe(n);
      }
    }
  });

  it('flags answers over a year without an official table as provisional', () => {
    const result = calendar.addWorkingDays('2031-03-03', 7);
    expect(result.provisional).toBe(true);
    expect(result.uncoveredYears).toEqual([2031]);
    expect(calendar.workingDaysBetween('2026-12-25', '2027-01-08').uncoveredYears).toEqual([2027]);
  });

  it('lets an operator table cover a year and replace the weekday guess', () => {
    const firstMonday = ['2031-01-06', '2031-01-07', '2031-01-08'].find((d) => weekday(d) === 1) ?? '';
    const saturday = addDays(firstMonday, 5);
    const withTable = new WorkingDayCalendar([
      {
        year: 2031,
        source: 'test notice',
        days: [
          { date: firstMonday, kind: 'holiday', name: '测试假日' },
          { date: saturday, kind: 'workday', name: '测试调休' },
        ],
      },
    ]);
    expect(withTable.isCovered(2031)).toBe(true);
    expect(withTable.addWorkingDays(addDays(firstMonday, -3), 1)).toEqual({
      value: addDays(firstMonday, 1),
      provisional: false,
      uncoveredYears: [],
    });
    expect(withTable.isWorkingDay(saturday)).toBe(true);
    expect(calendar.isWorkingDay(saturday)).toBe(false);
    expect(withTable.coverage().find((c) => c.year === 2031)?.source).toBe('test notice');
  });

  it("takes today's date in Asia/Shanghai", () => {
    expect(todayInShanghai(Date.UTC(2026, 10, 21, 15, 59))).toBe('2026-11-21');
    expect(todayInShanghai(Date.UTC(2026, 10, 21, 16, 0))).toBe('2026-11-22');
    expect(weekday('2026-11-22')).toBe(0);
  });

  it('refuses a date that does not exist', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/not a civil date/);
    expect(() => calendar.addWorkingDays('2026-02-03', 1.5)).toThrow(/whole number/);
  });
});
