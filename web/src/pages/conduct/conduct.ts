/**
 * What both conduct-report pages share: the domains a report may name, dates as the reader reads
 * them, and the receipt code as shown (in groups) and as typed back (spaces and hyphens ignored).
 */
import { api } from '../../api/client';
import type { Locale } from '../../i18n';

/**
 * The domains of the platform's catalog (each catalog item names the domains whose departments
 * collect it): the codes the report's `domain` takes. Used when the catalog cannot be read.
 */
export const KNOWN_DOMAINS = [
  'market_supervision',
  'food_drug',
  'taxation',
  'credit',
  'public_resource_trading',
  'construction',
  'judicial',
  'work_safety',
  'environment',
  'human_resources',
  'transport',
  'customs',
  'agriculture',
  'commerce',
  'culture_tourism',
  'education',
  'emergency',
  'finance',
  'health',
  'natural_resources',
  'public_security',
  'water',
] as const;

/** Working days the platform gives a department to acknowledge and to answer a report. */
export const WORKING_DAYS = { acknowledge: 3, answer: 20 } as const;

/** The domains the catalog names, or the known ones when it cannot be read. */
export async function loadDomains(): Promise<string[]> {
  try {
    const { data } = await api.GET('/api/catalog');
    const found = new Set<string>();
    for (const item of data?.items ?? []) {
      for (const domain of item.collectors.domains) {
        found.add(domain);
      }
    }
    return found.size > 0 ? [...found] : [...KNOWN_DOMAINS];
  } catch {
    return [...KNOWN_DOMAINS];
  }
}

/** A civil date (`YYYY-MM-DD`) as the reader writes it: 2026年12月8日, December 8, 2026. */
export function formatDay(day: string | null | undefined, locale: Locale): string {
  if (day === null || day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return day ?? '';
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** Today's civil date where the platform keeps its deadlines (Asia/Shanghai). */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** The receipt code in groups of five, easier to copy by hand. */
export function groupReceipt(receipt: string): string[] {
  return receipt.match(/.{1,5}/g) ?? [receipt];
}

/** The code as typed: the groups' spaces and hyphens are not part of it. */
export function normaliseReceipt(typed: string): string {
  return typed.replace(/[\s-]+/g, '');
}
