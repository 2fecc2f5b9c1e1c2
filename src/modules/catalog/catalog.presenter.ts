import type { CatalogRow, ItemRow } from './catalog.repository.ts';
import { describeCollectors, personalFieldsDisclosable } from './catalog.rules.ts';
import {
  DEFAULT_OBJECTION_WORKING_DAYS,
  DEFAULT_REPAIR_WORKING_DAYS,
  type DisplayPeriod,
  type LegalBasis,
  type Tier,
} from './catalog.schema.ts';
import type { ItemView } from './catalog.view.ts';

function months(n: number): string {
  return n % 12 === 0 ? `${n / 12} year${n === 12 ? '' : 's'}` : `${n} month${n === 1 ? '' : 's'}`;
}

function summary(period: DisplayPeriod, isList: boolean): string {
  const who = period.public ? 'disclosed' : 'not disclosed to the public; shared and used';
  if (period.longestMonths === null) {
    return isList ? `${who} until removed from the list` : `${who} with no end date`;
  }
  const repair =
    period.shortestMonths === null || period.shortestMonths === 0
      ? ''
      : `; repair may be applied for after ${months(period.shortestMonths)}`;
  return `${who} for at most ${months(period.longestMonths)} from the decision date, then ends by itself${repair}`;
}

/** The item's own deadline, else the platform's, saying which. */
function deadline(own: number | undefined, platform: number) {
  return own === undefined
    ? { workingDays: platform, source: 'platform' as const }
    : { workingDays: own, source: 'item' as const };
}

export function presentItem(row: ItemRow, bases: ReadonlyMap<string, LegalBasis>): ItemView {
  const item = row.definition;
  const periods: Array<[Tier | null, DisplayPeriod]> =
    item.display.tiers === undefined
      ? item.display.default === undefined
        ? []
        : [[null, item.display.default]]
      : (['minor', 'general', 'serious'] as const).map((t) => [t, item.display.tiers?.[t] as DisplayPeriod]);
  const severity =
    item.severity === undefined
      ? null
      : 'fixed' in item.severity
        ? `always ${item.severity.fixed}`
        : `stated in ${item.severity.field}${item.severity.rule === undefined ? '' : ', otherwise derived by the rule'}`;
  return {
    code: item.code,
    nameZh: item.nameZh,
    nameEn: item.nameEn,
    category: item.category,
    catalog: row.catalogCode,
    version: row.version,
    subjectKinds: item.subjectKinds,
    isList: item.isList,
    collectingDepartment: item.collectingDepartment,
    collectors: { ...item.collectors, summary: describeCollectors(item) },
    deadlines: {
      objection: deadline(item.objectionWorkingDays, DEFAULT_OBJECTION_WORKING_DAYS),
      repair: deadline(item.repairWorkingDays, DEFAULT_REPAIR_WORKING_DAYS),
    },
    sharing: item.sharing,
    disclosure: item.disclosure,
    dishonesty: item.dishonesty,
    document: item.document?.type ?? null,
    severity,
    display: periods.map(([tier, p]) => ({
      tier,
      shortestMonths: p.shortestMonths,
      longestMonths: p.longestMonths,
      public: p.public && item.disclosure === 'public',
      summary: summary({ ...p, public: p.public && item.disclosure === 'public' }, item.isList),
    })),
    repair:
      item.repair === undefined ? null : { repairable: item.repair.repairable, outcome: item.repair.outcome },
    legalBases: item.legalBases.map((b) => {
      const basis = bases.get(b.basis);
      return {
        code: b.basis,
        title: basis?.title ?? b.basis,
        docNumber: basis?.docNumber ?? null,
        article: b.article ?? null,
        rank: basis?.rank ?? 'normative_document',
        uses: b.uses,
      };
    }),
    personalInformation: {
      fields: item.fields.filter((f) => f.personal !== false).map((f) => f.nameZh),
      disclosedOnLegalBasis: personalFieldsDisclosable(item, bases),
      basis: item.personalDisclosureBasis ?? null,
    },
    fields: item.fields.map((f) => ({
      key: f.key,
      nameZh: f.nameZh,
      nameEn: f.nameEn,
      type: f.type,
      required: f.required,
      personal: f.personal,
      identifierKind: f.identifierKind ?? null,
      values: f.values ?? null,
    })),
  };
}

export function presentCatalogs(rows: CatalogRow[]) {
  return rows.map((c) => ({
    code: c.code,
    kind: c.kind,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    version: c.version,
    loadedAt: c.loadedAt?.toISOString() ?? null,
  }));
}
