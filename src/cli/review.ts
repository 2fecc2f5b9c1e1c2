/** `xinyong review list|resolve|revoke`: the review queue and revocations, as the department's reviewer. */
import type { Resolution } from '../modules/ingest/index.ts';
import { msg, ValidationError, type Config } from '../platform/index.ts';
import { departmentActor } from './ingest.ts';
import { cliLocaleNow } from './io.ts';
import { withContainer } from './with-container.ts';
import { tr, trText } from './say.ts';

type Out = (line: string) => void;

export async function reviewList(config: Config, department: string, json: boolean, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const rows = await c.review.queue(
      await departmentActor(c, department, 'reviewer'),
      department,
      cliLocaleNow(),
    );
    if (json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      out(tr('cli.review.none', { department }));
    }
    for (const r of rows) {
      out(tr('cli.review.row', { batch: r.batchId, row: r.rowNo, item: r.item, name: r.subjectName }));
      for (const reason of r.reasons) {
        out(`  ${trText(reason.message)} [${reason.rule}]`);
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
    throw new ValidationError(msg('cli.review.one_resolution'), {
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
      tr('cli.review.resolved', {
        batch: r.batchId,
        row: r.rowNo,
        status: r.status,
        record: r.recordId === null ? '' : msg('cli.review.record', { id: r.recordId }),
        subject: r.subjectId === null ? '' : msg('cli.review.subject', { id: r.subjectId }),
      }),
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
    out(tr('cli.review.revoked', { previous: r.previousId, version: r.version, record: r.recordId }));
  });
}
