/**
 * Keeps the results current: follows the change feed (the same feed the name index follows) from a
 * cursor kept in the database, recomputing each changed subject within a poll, and once a day runs
 * the model in force for every subject as of the new day, because display periods end, windows
 * close and years pass without any record changing.
 */
import { Poller, SYSTEM_ACTOR } from '../../platform/index.ts';
import type { EvaluationService } from './evaluation.service.ts';
import { modelInForce } from './evaluation.levels.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';

const PAGE = 2000;

export class EvaluationFollower {
  private readonly poller: Poller<void>;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly evaluation: EvaluationService,
    private readonly today: () => string,
    options: { pollMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.poller = new Poller(() => this.follow(), {
      pollMs: options.pollMs ?? 500,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Reads the feed until every change committed before the call is computed (tests, the CLI). */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const target = await this.evaluation.repository.latestChange();
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await this.tick();
      const cursor = await this.evaluation.repository.cursor();
      if (
        target === undefined ||
        (cursor !== undefined &&
          (cursor.txid > target.txid || (cursor.txid === target.txid && cursor.id >= target.id)))
      ) {
        return;
      }
      if (performance.now() > deadline) {
        throw new Error(
          `the evaluation did not catch up within ${timeoutMs} ms: an older transaction is still open`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** One read of the feed, after any under way; a failure is reported and the next read retries. */
  tick(): Promise<void> {
    return this.poller.tick().catch(() => undefined);
  }

  private async follow(): Promise<void> {
    const repository = this.evaluation.repository;
    const today = this.today();
    let cursor = await repository.cursor();
    if (cursor === undefined) {
      // Started at the feed's horizon: a run as of today computes what came before it.
      await repository.initCursor('2000-01-01');
      cursor = await repository.cursor();
      if (cursor === undefined) {
        return;
      }
    }
    if (cursor.day < today) {
      const model = await modelInForce(this.db);
      if (model !== undefined) {
        const run = await this.evaluation.startRun(model.id, 'daily', {
          label: `${SYSTEM_ACTOR.label}:daily`,
        });
        await this.evaluation.settled(run);
      }
      cursor = { ...cursor, day: today };
      await repository.moveCursor(cursor);
    }
    for (;;) {
      const changes = await repository.changesAfter(cursor, PAGE);
      const last = changes.at(-1);
      if (last === undefined) {
        return;
      }
      await this.evaluation.recompute([...new Set(changes.map((c) => c.subject_id))]);
      cursor = { txid: BigInt(last.txid), id: last.id, day: today };
      await repository.moveCursor(cursor);
      if (changes.length < PAGE) {
        return;
      }
    }
  }
}
