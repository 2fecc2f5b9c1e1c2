import fs from 'node:fs/promises';
import type { WorkingDayResult } from '../platform/calendar/index.ts';
import { InvalidRequestError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';

export async function calendarLoad(config: Config, file: string, out: (line: string) => void): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(`${file} is not JSON: ${(err as Error).message}`);
  }
  await withContainer(config, async (c) => {
    const loaded = await c.calendar.loadYearTable(input, { label: 'system:cli' });
    out(
      `${loaded.replaced ? 'replaced' : 'loaded'} the ${loaded.year} table: ${loaded.holidays} holidays, ` +
        `${loaded.workdays} make-up workdays (source: ${loaded.source})`,
    );
    out('A running server picks it up within 5 minutes.');
  });
}

export async function calendarShow(config: Config, out: (line: string) => void): Promise<void> {
  await withContainer(config, (c) => {
    for (const { year, source } of c.calendar.current().coverage()) {
      out(`${year}  ${source}`);
    }
    out('Years not listed are counted Monday to Friday, and deadlines over them are provisional.');
    return Promise.resolve();
  });
}

function withProvisionalNote(value: string, result: WorkingDayResult<unknown>): string {
  return result.provisional
    ? `${value}  (provisional: no official table for ${result.uncoveredYears.join(', ')})`
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
