import fs from 'node:fs/promises';
import type { WorkingDayResult } from '../platform/calendar/index.ts';
import { InvalidRequestError, msg, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { tr } from './say.ts';

export async function calendarLoad(config: Config, file: string, out: (line: string) => void): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(msg('cli.calendar.not_json', { file, cause: (err as Error).message }));
  }
  await withContainer(config, async (c) => {
    const loaded = await c.calendar.loadYearTable(input, { label: 'system:cli' });
    out(
      tr(loaded.replaced ? 'cli.calendar.replaced' : 'cli.calendar.loaded', {
        year: loaded.year,
        holidays: loaded.holidays,
        workdays: loaded.workdays,
        source: loaded.source,
      }),
    );
    out(tr('cli.calendar.picked_up'));
  });
}

export async function calendarShow(config: Config, out: (line: string) => void): Promise<void> {
  await withContainer(config, (c) => {
    for (const { year, source } of c.calendar.current().coverage()) {
      out(`${year}  ${source}`);
    }
    out(tr('cli.calendar.unlisted_years'));
    return Promise.resolve();
  });
}

function withProvisionalNote(value: string, result: WorkingDayResult<unknown>): string {
  return result.provisional
    ? tr('cli.calendar.provisional', { value, years: result.uncoveredYears.join(', ') })
    : value;
}

export async function calendarAdd(config: Config, date: string, days: number, out: (line: string) => void) {
  await withContainer(config, (c) => {
    const result = c.calendar.current().addWorkingDays(date, days);
    out(withProvisionalNote(result.value, result));
    return Promise.resolve();
  });
}

export async function calendarBetween(config: Config, from: string, to: string, out: (line: string) => void) {
  await withContainer(config, (c) => {
    const result = c.calendar.current().workingDaysBetween(from, to);
    out(withProvisionalNote(String(result.value), result));
    return Promise.resolve();
  });
}
