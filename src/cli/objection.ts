/**
 * `xinyong objection file|list|decide`: an objection recorded at the window or received in writing
 * (as the service desk), the list of objections (overdue ones for the administrator), and a
 * department's decision (as its reviewer).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ObjectionView } from '../modules/objections/index.ts';
import { todayInShanghai } from '../platform/calendar/index.ts';
import { msg, ValidationError, type Config } from '../platform/index.ts';
import { departmentActor } from './ingest.ts';
import { tr } from './say.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

const OPERATOR = { kind: 'system', name: 'cli' } as const;

export interface FileOptions {
  subject: string;
  record: number;
  reasons: string;
  received: 'written' | 'window';
  attach?: string[];
}

export interface DecideOptions {
  outcome: 'upheld' | 'rejected';
  decision: string;
  revoke?: boolean;
  field?: string[];
  document?: string;
}

function describe(o: ObjectionView): string[] {
  const row = {
    id: o.id,
    status: o.status,
    record: o.recordId,
    subject: o.subject.name,
    department: o.department,
  };
  const lines = [
    o.decidedAt === null
      ? tr('cli.objection.row', { ...row, due: o.dueOn })
      : tr('cli.objection.row_decided', { ...row, date: todayInShanghai(o.decidedAt.getTime()) }),
    `  ${o.reasons}`,
  ];
  if (o.overdue) {
    lines.push(`  ${tr('cli.objection.overdue', { since: o.overdueOn })}`);
  }
  if (o.outcome !== null) {
    lines.push(`  ${tr('cli.objection.outcome', { outcome: o.outcome, decision: o.decision ?? '' })}`);
  }
  for (const a of o.attachments) {
    lines.push(`  ${a.fileName} (${a.mediaType}, ${a.bytes} B, sha256 ${a.sha256.slice(0, 12)}…)`);
  }
  return lines;
}

export async function objectionFile(config: Config, opts: FileOptions, out: Out): Promise<void> {
  const attachments = await Promise.all(
    (opts.attach ?? []).map(async (file) => ({
      fileName: path.basename(file),
      content: await fs.readFile(file),
    })),
  );
  await withContainer(config, async (c) => {
    const o = await c.objections.file(OPERATOR, {
      recordId: opts.record,
      reasons: opts.reasons,
      attachments,
      forSubject: { code: opts.subject, receivedAs: opts.received },
    });
    describe(o).forEach((line) => out(line));
  });
}

export async function objectionList(
  config: Config,
  opts: { status?: 'open' | 'upheld' | 'rejected'; overdue?: boolean; json?: boolean },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const rows = await c.objections.list(OPERATOR, {
      ...(opts.status === undefined ? {} : { status: opts.status }),
      overdue: opts.overdue === true,
    });
    if (opts.json === true) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) {
      out(tr('cli.objection.none'));
    }
    rows.flatMap(describe).forEach((line) => out(line));
  });
}

export async function objectionDecide(
  config: Config,
  id: number,
  opts: DecideOptions,
  out: Out,
): Promise<void> {
  const fields: Record<string, string> = {};
  for (const pair of opts.field ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new ValidationError(msg('cli.objection.field_pair', { value: pair }), {
        field: 'field',
        value: pair,
        rule: 'cli.key_value',
      });
    }
    fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  await withContainer(config, async (c) => {
    const o = await c.objections.read(OPERATOR, id);
    const reviewer = await departmentActor(c, o.department, 'reviewer');
    const decided = await c.objections.decide(reviewer, id, {
      outcome: opts.outcome,
      decision: opts.decision,
      ...(opts.revoke === true
        ? { correction: { revoke: true as const } }
        : Object.keys(fields).length > 0
          ? { correction: { fields } }
          : {}),
      ...(opts.document === undefined ? {} : { documentNumber: opts.document }),
    });
    describe(decided).forEach((line) => out(line));
  });
}
