/** `xinyong audit verify|checkpoint|list|archive`. */
import type { Actor } from '../modules/auth/index.ts';
import type { Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;
const OPERATOR: Actor = { kind: 'system', name: 'cli' };

/** Exit code 0 when the chain is intact, 1 at the first broken link. */
export async function auditVerify(config: Config, json: boolean, out: Out): Promise<number> {
  return withContainer(config, async (c) => {
    const result = await c.audit.verify();
    if (json) {
      out(JSON.stringify(result, null, 2));
    } else if (result.ok) {
      out(
        `ok: ${result.events} events verified through event ${result.lastSeq} (head ${result.lastHash.slice(0, 16)}…), ` +
          `${result.checkpoints} signed checkpoints in ${config.audit.checkpointFile}`,
      );
    } else {
      out(`BROKEN at event ${result.seq}: ${result.problem}`);
    }
    return result.ok ? 0 : 1;
  });
}

export async function auditCheckpoint(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const cp = await c.audit.checkpoint(OPERATOR);
    out(
      `checkpoint: event ${cp.seq}, hash ${cp.hash}, signed with key ${cp.keyId}, appended to ${config.audit.checkpointFile}`,
    );
  });
}

export interface ListOptions {
  action?: string;
  actor?: string;
  limit: number;
}

export async function auditList(config: Config, opts: ListOptions, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const events = await c.audit.query(OPERATOR, {
      action: opts.action,
      actor: opts.actor,
      limit: opts.limit,
    });
    for (const e of events) {
      const target = e.targetKind === null ? '' : ` ${e.targetKind}:${e.targetId ?? ''}`;
      out(
        `${String(e.seq).padStart(6)}  ${e.occurredAt}  ${e.actor.padEnd(22)} ${e.action}${target}  ${JSON.stringify(e.details)}`,
      );
    }
  });
}

export async function auditArchive(
  config: Config,
  outFile: string,
  before: string | undefined,
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const result = await c.audit.archive(OPERATOR, outFile, before);
    out(
      result === undefined
        ? `nothing to archive: no events older than ${before ?? `the retention period (${config.audit.retentionDays} days)`}`
        : `archived events ${result.fromSeq}–${result.throughSeq} (${result.events}) to ${result.file}, signed; pruned them from the database`,
    );
  });
}
