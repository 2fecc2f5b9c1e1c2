/** `xinyong check`: a credit check in an administrative matter, for one subject or a file of them. */
import path from 'node:path';
import { openSource } from '../modules/ingest/index.ts';
import { validate } from '../modules/identifiers/index.ts';
import type { CheckResult } from '../modules/measures/index.ts';
import { ValidationError, type Config } from '../platform/index.ts';
import type { Container } from '../container.ts';
import { withContainer } from './with-container.ts';
import { cliLocaleNow } from './io.ts';

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
    `${r.subject.name} (${r.subject.kind}, ${r.subject.code}) — ${r.matter}, as of ${r.asOf}, check ${r.id}`,
  ];
  lines.push(r.entries.length === 0 ? '  list entries: none' : `  list entries (${r.entries.length}):`);
  for (const e of r.entries) {
    const via = e.via === undefined ? '' : ` (as ${e.via.role} of ${e.via.organisation.name})`;
    lines.push(
      `    ${e.listType.name} [${e.listType.code}]${via}: decided ${e.decisionDate ?? '—'} by ${e.department}, document ${e.documentNumber}, ${e.validUntil === null ? 'until removed' : `until ${e.validUntil}`}${statusNote(e.status)}`,
    );
  }
  lines.push(r.records.length === 0 ? '  records: none' : `  records (${r.records.length}):`);
  for (const d of r.records) {
    const item = names.items?.get(d.item);
    lines.push(
      `    ${item === undefined ? d.item : `${item} (${d.item})`}, ${d.tier ?? 'no tier'}: decided ${d.decisionDate ?? '—'} by ${d.department}, document ${d.documentNumber}, ${d.displayUntil === null ? 'no end date' : `period until ${d.displayUntil}`}${statusNote(d.status)}`,
    );
  }
  const measures = [...r.measures, ...r.incentives];
  lines.push(
    measures.length === 0 ? '  measures: none applies in this matter' : `  measures (${measures.length}):`,
  );
  for (const m of measures) {
    const { basis, seed } = m.measure.legalBasis;
    const cited = names.bases?.get(basis);
    lines.push(
      `    ${m.status === 'suspended' ? 'SUSPENDED ' : ''}${m.measure.code} ${m.measure.nameZh} — ${m.obligation}, ${m.measure.binding}; basis ${cited === undefined ? '' : `${cited} `}(${basis}, ${seed.file}:${seed.line})`,
    );
  }
  return lines;
}

export async function checkCommand(
  config: Config,
  code: string | undefined,
  opts: CheckOptions,
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const actor = await c.auth.departmentSystem(opts.department, 'credit_officer', 'cli');
    if (actor === undefined) {
      throw new ValidationError(`--department: no department ${opts.department}`, {
        field: 'department',
        value: opts.department,
        rule: 'department.exists',
      });
    }
    const purpose = opts.purpose ?? `credit check for ${opts.matter}`;
    if (opts.file === undefined) {
      if (code === undefined) {
        throw new ValidationError('give a code, or --file with the subjects', {
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
        const review = item.review === undefined ? '' : ` (review ${item.review}: GET /api/checks/review)`;
        out(
          `${item.given}: ${item.status}${review}${item.message === undefined ? '' : ` — ${item.message}`}`,
        );
      } else {
        out(checkLines(item.result, names).join('\n'));
      }
    }
    out(
      Object.entries(batch.summary)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
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
