/**
 * Which of some subjects changed in the feed after the point the index has applied, asked for many
 * pages at once: the pages that arrive while a question is out share the next one (as commits
 * share a flush of the write-ahead log), so a busy server asks once per round trip, not once per
 * page. A question always starts after every page it answers arrived, so it sees every commit
 * those pages could have seen.
 */
export interface FeedPoint {
  txid: bigint;
  id: number;
}

interface Round {
  ids: Set<number>;
  promise: Promise<ReadonlySet<number>>;
  resolve: (changed: ReadonlySet<number>) => void;
  reject: (err: unknown) => void;
}

export class ChangeQuestions {
  /** The next question, gathering ids until it starts. */
  private waiting: Round | undefined;
  private asking = false;

  constructor(
    /** The subjects among `ids` with a change in the feed after `after`. */
    private readonly ask: (after: FeedPoint, ids: number[]) => Promise<ReadonlySet<number>>,
    /** The point the index has applied, read when a question starts. */
    private readonly applied: () => FeedPoint,
  ) {}

  /** Those of `ids` changed after what the index has applied when the question starts. */
  changedAmong(ids: readonly number[]): Promise<ReadonlySet<number>> {
    let round = this.waiting;
    if (round === undefined) {
      let resolve!: Round['resolve'];
      let reject!: Round['reject'];
      const promise = new Promise<ReadonlySet<number>>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      round = { ids: new Set(), promise, resolve, reject };
      this.waiting = round;
      if (!this.asking) {
        // Pages arriving in the same turn of the event loop join this question.
        setImmediate(() => this.next());
      }
    }
    for (const id of ids) {
      round.ids.add(id);
    }
    return round.promise;
  }

  private next(): void {
    const round = this.waiting;
    if (round === undefined || this.asking) {
      return;
    }
    this.waiting = undefined;
    this.asking = true;
    this.ask(this.applied(), [...round.ids])
      .then(round.resolve, round.reject)
      .finally(() => {
        this.asking = false;
        this.next();
      });
  }
}
