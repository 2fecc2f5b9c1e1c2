/** `xinyong review list|resolve|revoke`: the review queue and revocations, as the department's reviewer. */
import type { Resolution } from '../modules/ingest/index.ts';
import { ValidationError, type Config } from '../platform/index.ts';
import { departmentActor } from './ingest.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

export async function reviewList(config: Config, department: string, json: boolean, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const rows = await c.review.queue(await departmentActor(c, department, 'reviewer'), department);
    if (json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      out(`${department}: no rows awaiting review`);
    }
    for (const r of rows) {
      out(`batch ${r.batchId} row ${r.rowNo} (${r.item}): ${r.subjectName}`);
      for (const reason of r.reasons) {
        out(`  ${reason.message} [${reason.rule}]`);
      }
    }
  });
}

export interface ResolveOptions {
  code?: string;
  subject?: number;
  reject?: string;
  note?: string;
}

export async function reviewResolve(
  config: Config,
  batchId: number,
  rowNo: number,
  opts: ResolveOptions,
  out: Out,
): Promise<void> {
  const given = [opts.code, opts.subject, opts.reject].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new ValidationError('give exactly one of --code, --subject or --reject', {
      field: 'resolution',
      rule: 'review.one_resolution',
    });
  }
  const resolution: Resolution =
    opts.reject !== undefined
      ? { reject: opts.reject }
      : opts.code !== undefined
        ? { code: opts.code, ...(opts.note === undefined ? {} : { note: opts.note }) }
        : { subjectId: opts.subject ?? 0, ...(opts.note === undefined ? {} : { note: opts.note }) };
  await withContainer(config, async (c) => {
    const batch = await c.ingest.batch({ kind: 'system', name: 'cli' }, batchId);
    const actor = await departmentActor(c, batch.department, 'reviewer');
    const r = await c.review.resolve(actor, batchId, rowNo, resolution);
    out(
      `batch ${r.batchId} row ${r.rowNo}: ${r.status}` +
        (r.recordId === null ? '' : `, record ${r.recordId}`) +
        (r.subjectId === null ? '' : ` of subject ${r.subjectId}`),
    );
  });
}

export interface RevokeOptions {
  department: string;
  item: string;
  document: string;
  code: string;
  reason: string;
}

export async function recordRevoke(config: Config, opts: RevokeOptions, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const r = await c.revocation.revoke(await departmentActor(c, opts.department), {
      department: opts.department,
      item: opts.item,
      documentNumber: opts.document,
      subjectCode: opts.code,
      reason: opts.reason,
    });
    out(`record ${r.previousId} revoked: version ${r.version} is record ${r.recordId}`);
  });
}
