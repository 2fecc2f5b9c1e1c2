/** `xinyong check`: a credit check in an administrative matter, for one subject or a file of them. */
import path from 'node:path';
import { openSource } from '../modules/ingest/index.ts';
import { validate } from '../modules/identifiers/index.ts';
import type { CheckResult } from '../modules/measures/index.ts';
import { msg, ValidationError, type Config, type MessageKey } from '../platform/index.ts';
import type { Container } from '../container.ts';
import { withContainer } from './with-container.ts';
import { cliLocaleNow } from './io.ts';
import { tr, trText } from './say.ts';

type Out = (line: string) => void;

export interface CheckOptions {
  matter: string;
  department: string;
  purpose?: string;
  file?: string;
  json?: boolean;
}

const CODE_HEADINGS = ['统一社会信用代码', '代码', 'code', 'uscc'];
const NAME_HEADINGS = ['名称', '主体名称', '单位名称', '投标人', 'name'];

/** How a status other than plain active reads after an entry or a record. */
function statusNote(status: string): string {
  return status === 'active' ? '' : ` [${status.replace(/_/g, ' ')}]`;
}

/** Catalog item code → Chinese name; legal basis code → document number or title. */
export interface CheckNames {
  items?: ReadonlyMap<string, string>;
  bases?: ReadonlyMap<string, string>;
}

/**
 * A check as lines a credit officer reads: what it found (list entries, then records: item, date,
 * department, document, period) and then each measure with its legal basis and status.
 */
export function checkLines(r: CheckResult, names: CheckNames = {}): string[] {
  const lines = [
    tr('cli.check.heading', {
      name: r.subject.name,
      kind: r.subject.kind,
      code: r.subject.code,
      matter: r.matter,
      date: r.asOf,
      id: r.id,
    }),
  ];
  const indent = (line: string) => `    ${line}`;
  lines.push(
    `  ${r.entries.length === 0 ? tr('cli.check.entries_none') : tr('cli.check.entries', { count: r.entries.length })}`,
  );
  for (const e of r.entries) {
    const via =
      e.via === undefined
        ? ''
        : msg('cli.check.via', { role: e.via.role, organisation: e.via.organisation.name });
    lines.push(
      indent(
        tr('cli.check.entry', {
          list: e.listType.name,
          code: e.listType.code,
          via,
          date: e.decisionDate ?? '—',
          department: e.department,
          document: e.documentNumber,
          until:
            e.validUntil === null
              ? msg('cli.check.until_removed')
              : msg('cli.check.until', { date: e.validUntil }),
          status: statusNote(e.status),
        }),
      ),
    );
  }
  lines.push(
    `  ${r.records.length === 0 ? tr('cli.check.records_none') : tr('cli.check.records', { count: r.records.length })}`,
  );
  for (const d of r.records) {
    const item = names.items?.get(d.item);
    lines.push(
      indent(
        tr('cli.check.record', {
          item: item === undefined ? d.item : msg('cli.check.item', { name: item, code: d.item }),
          tier: d.tier ?? msg('cli.check.no_tier'),
          date: d.decisionDate ?? '—',
          department: d.department,
          document: d.documentNumber,
          period:
            d.displayUntil === null
              ? msg('cli.check.no_end_date')
              : msg('cli.check.period_until', { date: d.displayUntil }),
          status: statusNote(d.status),
        }),
      ),
    );
  }
  const measures = [...r.measures, ...r.incentives];
  lines.push(
    `  ${measures.length === 0 ? tr('cli.check.measures_none') : tr('cli.check.measures', { count: measures.length })}`,
  );
  for (const m of measures) {
    const { basis, seed } = m.measure.legalBasis;
    const cited = names.bases?.get(basis);
    const source = `${seed.file}:${seed.line}`;
    const line = tr('cli.check.measure', {
      code: m.measure.code,
      name: m.measure.nameZh,
      obligation: m.obligation,
      binding: m.measure.binding,
      basis:
        cited === undefined
          ? msg('cli.check.basis', { basis, source })
          : msg('cli.check.basis_cited', { cited, basis, source }),
    });
    lines.push(indent(m.status === 'suspended' ? `${tr('cli.check.suspended')} ${line}` : line));
  }
  return lines;
}

/** The words of a batch check's summary, by its keys (a key not named here is printed as it is). */
const SUMMARY: Readonly<Record<string, MessageKey>> = {
  subjects: 'cli.check.summary.subjects',
  checked: 'cli.check.summary.checked',
  notFound: 'cli.check.summary.notFound',
  ambiguous: 'cli.check.summary.ambiguous',
  invalid: 'cli.check.summary.invalid',
  withPunishment: 'cli.check.summary.withPunishment',
  withSuspended: 'cli.check.summary.withSuspended',
  withIncentive: 'cli.check.summary.withIncentive',
};

export async function checkCommand(
  config: Config,
  code: string | undefined,
  opts: CheckOptions,
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const actor = await c.auth.departmentSystem(opts.department, 'credit_officer', 'cli');
    if (actor === undefined) {
      throw new ValidationError(msg('cli.department_missing', { code: opts.department }), {
        field: 'department',
        value: opts.department,
        rule: 'department.exists',
      });
    }
    const purpose = opts.purpose ?? tr('cli.check.default_purpose', { matter: opts.matter });
    if (opts.file === undefined) {
      if (code === undefined) {
        throw new ValidationError(msg('cli.check.subject_missing'), {
          field: 'code',
          rule: 'check.subject',
        });
      }
      const r = await c.checks.check(
        actor,
        { subjectCode: code, matter: opts.matter, purpose },
        cliLocaleNow(),
      );
      out(opts.json === true ? JSON.stringify(r, null, 2) : checkLines(r, await checkNames(c)).join('\n'));
      return;
    }
    const subjects = await readSubjects(opts.file);
    const batch = await c.checks.batch(actor, { subjects, matter: opts.matter, purpose }, cliLocaleNow());
    if (opts.json === true) {
      out(JSON.stringify(batch, null, 2));
      return;
    }
    const names = await checkNames(c);
    for (const item of batch.results) {
      if (item.result === undefined) {
        const review = item.review === undefined ? '' : tr('cli.check.queued', { id: item.review });
        const because =
          item.message === undefined ? '' : tr('cli.check.because', { message: trText(item.message) });
        out(`${tr('cli.check.given', { given: item.given, status: item.status })}${review}${because}`);
      } else {
        out(checkLines(item.result, names).join('\n'));
      }
    }
    out(
      Object.entries(batch.summary)
        .map(([k, v]) => {
          const key = SUMMARY[k];
          return `${key === undefined ? k : tr(key)} ${v}`;
        })
        .join(tr('cli.separator.comma')),
    );
  });
}

/** The names a check's lines use for catalog items and legal bases. */
async function checkNames(c: Container): Promise<CheckNames> {
  const [items, bases] = await Promise.all([c.catalog.items(), c.catalog.legalBases()]);
  return {
    items: new Map(items.map((i) => [i.definition.code, i.definition.nameZh])),
    bases: new Map(bases.map((b) => [b.code, b.docNumber ?? b.title])),
  };
}

/** Codes or names from a CSV or XLSX: a code column if there is one, else a name column, else the first. */
async function readSubjects(file: string): Promise<Array<{ code?: string; name?: string }>> {
  const source = await openSource(file, path.basename(file));
  const find = (names: string[]) => source.headers.find((h) => names.includes(h.trim()));
  const codeColumn = find(CODE_HEADINGS);
  const nameColumn = find(NAME_HEADINGS);
  const first = source.headers[0];
  const subjects: Array<{ code?: string; name?: string }> = [];
  for await (const row of source.rows) {
    const cell = (h: string | undefined) => {
      const v = h === undefined ? undefined : row.cells.get(h);
      return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
    };
    const code = cell(codeColumn);
    const name = cell(nameColumn);
    if (code !== '') {
      subjects.push({ code });
    } else if (name !== '') {
      subjects.push({ name });
    } else if (codeColumn === undefined && nameColumn === undefined && cell(first) !== '') {
      const v = cell(first);
      subjects.push(validate(v).valid ? { code: v } : { name: v });
    }
  }
  return subjects;
}
