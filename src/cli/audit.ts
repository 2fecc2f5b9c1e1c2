/** `xinyong audit verify|checkpoint|list|archive`. */
import type { Actor } from '../modules/auth/index.ts';
import { msg, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { tr } from './say.ts';

type Out = (line: string) => void;
const OPERATOR: Actor = { kind: 'system', name: 'cli' };

/** Exit code 0 when the chain is intact, 1 at the first broken link. */
export async function auditVerify(config: Config, json: boolean, out: Out): Promise<number> {
  return withContainer(config, async (c) => {
    const result = await c.audit.verify();
    const pending = await c.audit.sequencer.pending();
    if (json) {
      out(JSON.stringify({ ...result, unsealed: pending }, null, 2));
    } else if (result.ok) {
      out(
        tr('cli.audit.verified', {
          events: result.events,
          last: result.lastSeq,
          head: result.lastHash.slice(0, 16),
          checkpoints: result.checkpoints,
          file: config.audit.checkpointFile,
        }),
      );
    } else {
      out(tr('cli.audit.broken', { seq: result.seq, problem: result.reason }));
    }
    if (!json && pending.events > 0) {
      out(tr('cli.audit.unsealed', { events: pending.events, oldest: pending.oldest ?? '' }));
    }
    return result.ok ? 0 : 1;
  });
}

export async function auditCheckpoint(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const cp = await c.audit.checkpoint(OPERATOR);
    out(
      tr('cli.audit.checkpoint', {
        seq: cp.seq,
        hash: cp.hash,
        key: cp.keyId,
        file: config.audit.checkpointFile,
      }),
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
        ? tr('cli.audit.nothing_to_archive', {
            before: before ?? msg('cli.audit.retention_period', { days: config.audit.retentionDays }),
          })
        : tr('cli.audit.archived', {
            from: result.fromSeq,
            through: result.throughSeq,
            events: result.events,
            file: result.file,
          }),
    );
  });
}
