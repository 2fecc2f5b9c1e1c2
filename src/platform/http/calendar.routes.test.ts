/**
 * The public calendar is the one deadlines are counted on: the official table's holidays and
 * make-up workdays, and a table an operator loads replaces it for its year at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

interface Year {
  year: number;
  official: boolean;
  source: string | null;
  days: Array<{ date: string; kind: 'holiday' | 'workday'; name: string }>;
}

const year = async (y: number | string) => t.app.inject({ method: 'GET', url: `/api/public/calendar/${y}` });

describe('the public working-day calendar', () => {
  it('gives the official holidays and make-up workdays of a year', async () => {
    const res = await year(2026);
    expect(res.statusCode).toBe(200);
    const body = res.json<Year>();
    expect(body.official).toBe(true);
    const kind = (date: string) => body.days.find((d) => d.date === date)?.kind;
    // National Day, and the Saturday worked instead (the deadlines' tests count across both).
    expect(kind('2026-10-01')).toBe('holiday');
    expect(kind('2026-10-10')).toBe('workday');
    // An ordinary weekday is not listed.
    expect(kind('2026-10-13')).toBeUndefined();
    expect(body.days.map((d) => d.date)).toEqual([...body.days.map((d) => d.date)].sort());
  });

  it('follows a table an operator loads, and says when a year has none', async () => {
    expect((await year(2031)).json<Year>()).toMatchObject({ official: false, source: null, days: [] });
    await t.container.calendar.loadYearTable(
      {
        year: 2031,
        source: '国务院办公厅关于2031年部分节假日安排的通知（测试）',
        holidays: [{ date: '2031-01-01', name: '元旦' }],
        workdays: [{ date: '2031-01-04', name: '元旦调休' }],
      },
      { label: 'system:test' },
    );
    expect((await year(2031)).json<Year>()).toMatchObject({
      official: true,
      days: [
        { date: '2031-01-01', kind: 'holiday', name: '元旦' },
        { date: '2031-01-04', kind: 'workday', name: '元旦调休' },
      ],
    });
  });

  it('refuses a year that is not one', async () => {
    expect((await year('abc')).statusCode).toBe(400);
    expect((await year(99999)).statusCode).toBe(400);
  });
});
