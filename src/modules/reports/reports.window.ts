/** The window and domains a special report covers, checked as the subject asked for them. */
import { msg, ValidationError } from '../../platform/index.ts';
import { SPECIAL_MAX_YEARS } from './reports.types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DOMAINS = 20;

function isDate(value: string): boolean {
  if (!DATE.test(value)) {
    return false;
  }
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `day` moved by whole years and days (29 February moves to 28 February). */
export function shiftDay(day: string, years: number, days = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  const moved = new Date(Date.UTC(y + years, m - 1, Math.min(d, lastOfMonth)));
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

function dateField(field: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isDate(value)) {
    throw new ValidationError(msg('reports.special.window_date', { field, value }), {
      field,
      value,
      rule: 'report.window_date',
    });
  }
  return value;
}

/**
 * The window: `years` back from `to` (today by default), or `from`–`to`; at most five years,
 * ending no later than today. Five years back from 2026-12-02 is 2021-12-03 to 2026-12-02.
 */
export function specialWindow(
  request: { years?: number; from?: string; to?: string },
  today: string,
): { from: string; to: string } {
  if (request.years !== undefined && request.from !== undefined) {
    throw new ValidationError(msg('reports.special.years_or_from'), {
      field: 'years',
      value: request.years,
      rule: 'report.special_window',
    });
  }
  const to = dateField('to', request.to) ?? today;
  const given = dateField('from', request.from);
  if (
    request.years !== undefined &&
    (!Number.isInteger(request.years) || request.years < 1 || request.years > SPECIAL_MAX_YEARS)
  ) {
    throw new ValidationError(msg('reports.special.years', { max: SPECIAL_MAX_YEARS }), {
      field: 'years',
      value: request.years,
      rule: 'report.special_window',
    });
  }
  if (to > today) {
    throw new ValidationError(msg('reports.special.window_future', { to, today }), {
      field: 'to',
      value: to,
      rule: 'report.special_window',
    });
  }
  const from = given ?? shiftDay(to, -(request.years ?? SPECIAL_MAX_YEARS), 1);
  if (from > to) {
    throw new ValidationError(msg('reports.special.window_order', { from, to }), {
      field: 'from',
      value: from,
      rule: 'report.special_window',
    });
  }
  if (from < shiftDay(to, -SPECIAL_MAX_YEARS, 1)) {
    throw new ValidationError(msg('reports.special.window_too_long', { max: SPECIAL_MAX_YEARS, from, to }), {
      field: 'from',
      value: from,
      rule: 'report.special_window',
    });
  }
  return { from, to };
}

/** The domains asked for: at least one, each served by a department of the platform. */
export function specialDomains(asked: readonly string[] | undefined, served: readonly string[]): string[] {
  const domains = [...new Set((asked ?? []).map((d) => d.trim()).filter((d) => d !== ''))];
  if (domains.length === 0) {
    throw new ValidationError(msg('reports.special.domains_required', { domains: served.join(', ') }), {
      field: 'domains',
      rule: 'report.special_domains',
    });
  }
  if (domains.length > MAX_DOMAINS) {
    throw new ValidationError(msg('reports.special.domains_count', { max: MAX_DOMAINS }), {
      field: 'domains',
      value: domains.length,
      rule: 'report.special_domains',
    });
  }
  const unknown = domains.find((d) => !served.includes(d));
  if (unknown !== undefined) {
    throw new ValidationError(
      msg('reports.special.unknown_domain', { domain: unknown, domains: served.join(', ') }),
      {
        field: 'domains',
        value: unknown,
        rule: 'report.special_domains',
      },
    );
  }
  return domains;
}
