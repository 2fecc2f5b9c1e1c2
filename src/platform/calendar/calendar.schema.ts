import { z } from 'zod';
import { msg } from '../i18n/index.ts';
import { reason, reasonIssue } from '../reasons.ts';
import { dayNumber, weekday } from './civil-date.ts';

const REAL_DATE = reason('errors.calendar.date');

/**
 * A civil date in any request: shaped `YYYY-MM-DD` and a day the calendar has (`2025-02-30` is
 * refused here, as a 400 naming the field, rather than by PostgreSQL's date cast as a 500).
 */
export const CivilDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, REAL_DATE)
  .refine((v) => dayNumber(v) !== undefined, REAL_DATE);

/** A calendar month, `YYYY-MM` (month 01 to 12). */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, reason('errors.calendar.month'));

const DaySchema = z.object({
  date: CivilDateSchema,
  name: z.string().trim().min(1, reason('errors.calendar.day_name')),
});

/**
 * A year's official arrangement as an operator transcribes it from the State Council's notice:
 * the days off and the weekend days that become workdays (调休).
 */
export const YearTableFileSchema = z
  .object({
    year: z.number().int().min(1949).max(2200),
    source: z.string().trim().min(1, reason('errors.calendar.source')),
    holidays: z.array(DaySchema).min(1, reason('errors.calendar.holidays')),
    workdays: z.array(DaySchema).default([]),
  })
  .superRefine((table, ctx) => {
    const seen = new Map<string, string>();
    for (const listName of ['holidays', 'workdays'] as const) {
      table[listName].forEach((day, index) => {
        if (dayNumber(day.date) === undefined) {
          return; // already reported by the date's own rule
        }
        const path = [listName, index, 'date'];
        if (Number(day.date.slice(0, 4)) !== table.year) {
          ctx.addIssue({
            code: 'custom',
            path,
            ...reasonIssue(msg('errors.calendar.not_in_year', { date: day.date, year: table.year })),
          });
        }
        const previous = seen.get(day.date);
        if (previous !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path,
            ...reasonIssue(msg('errors.calendar.twice', { date: day.date, list: previous })),
          });
        }
        seen.set(day.date, listName);
        const dow = weekday(day.date);
        if (listName === 'workdays' && dow !== 0 && dow !== 6) {
          ctx.addIssue({
            code: 'custom',
            path,
            ...reasonIssue(msg('errors.calendar.weekday', { date: day.date })),
          });
        }
      });
    }
  });

export type YearTableFile = z.output<typeof YearTableFileSchema>;
