/** `xinyong check`: a credit check in an administrative matter, for one subject or a file of them. */
import path from 'node:path';
import { openSource } from '../modules/ingest/index.ts';
import { validate } from '../modules/identifiers/index.ts';
import type { CheckResult } from '../modules/measures/index.ts';
import { ValidationError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';

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

/** A check as lines a credit officer reads: each entry, each measure with its basis and status. */
export function checkLines(r: CheckResult): string[] {
  const lines = [
    `${r.subject.name} (${r.subject.kind}, ${r.subject.code}) — ${r.matter}, ${r.asOf}, check ${r.id}`,
  ];
  for (const e of r.entries) {
    lines.push(
      `  listed: ${e.listType.name} ${e.documentNumber} on ${e.decisionDate ?? '—'}${e.status === 'under_objection' ? ' [under objection]' : ''}${e.via === undefined ? '' : ` (as ${e.via.role} of ${e.via.organisation.name})`}`,
    );
  }
  for (const m of [...r.measures, ...r.incentives]) {
    lines.push(
      `  ${m.status === 'suspended' ? 'SUSPENDED ' : ''}${m.measure.code} ${m.measure.nameZh} — ${m.obligation}, ${m.measure.binding}; ${m.measure.legalBasis.basis} (${m.measure.legalBasis.seed.file}:${m.measure.legalBasis.seed.line})`,
    );
  }
  if (r.measures.length === 0 && r.incentives.length === 0) {
    lines.push('  no measure applies in this matter');
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
      const r = await c.checks.check(actor, { subjectCode: code, matter: opts.matter, purpose });
      out(opts.json === true ? JSON.stringify(r, null, 2) : checkLines(r).join('\n'));
      return;
    }
    const subjects = await readSubjects(opts.file);
    const batch = await c.checks.batch(actor, { subjects, matter: opts.matter, purpose });
    if (opts.json === true) {
      out(JSON.stringify(batch, null, 2));
      return;
    }
    for (const item of batch.results) {
      if (item.result === undefined) {
        const review = item.review === undefined ? '' : ` (review ${item.review}: GET /api/checks/review)`;
        out(
          `${item.given}: ${item.status}${review}${item.message === undefined ? '' : ` — ${item.message}`}`,
        );
      } else {
        out(checkLines(item.result).join('\n'));
      }
    }
    out(
      Object.entries(batch.summary)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    );
  });
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
