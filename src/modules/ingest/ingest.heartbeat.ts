/**
 * A running batch's heartbeat: how far it has come, written outside its commit's transaction so
 * that others see it (the progress bar, and `endOrphanedCommits`, which tells a live commit from
 * an orphaned one by it). Never awaited by the run: on a single connection (PGlite, a pool of one)
 * it waits for the run's transaction and then finds the batch no longer staging, and does nothing.
 */
import type { Updateable } from 'kysely';
import type { BatchTable } from '../../platform/db/schema.ts';
import type { IngestRepository } from './ingest.repository.ts';

export class Heartbeat {
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly repository: IngestRepository,
    private readonly batchId: number,
  ) {}

  /** Rows read so far; skipped while the previous beat is still on its way. */
  beat(progress: { rowsRead: number; fraction: number | null }): void {
    if (this.inFlight !== undefined) {
      return;
    }
    this.send({ rows_read: progress.rowsRead, read_fraction: progress.fraction });
  }

  /** Every row read and validated: the batch's commit is being finished. */
  validated(values: Updateable<BatchTable>): void {
    const previous = this.inFlight ?? Promise.resolve();
    this.inFlight = previous.then(() =>
      this.repository.updateStaging(this.batchId, { ...values, status: 'validated' }),
    );
    this.settle(this.inFlight);
  }

  private send(values: Updateable<BatchTable>): void {
    this.inFlight = this.repository.updateStaging(this.batchId, values);
    this.settle(this.inFlight);
  }

  private settle(beat: Promise<void>): void {
    beat.then(
      () => {
        if (this.inFlight === beat) {
          this.inFlight = undefined;
        }
      },
      () => {
        if (this.inFlight === beat) {
          this.inFlight = undefined;
        }
      },
    );
  }
}
