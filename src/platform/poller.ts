/**
 * A round of work run every `pollMs` in the background, one round at a time: the followers of the
 * change feed and of the federation's subscriptions. A failed round is reported and the next one
 * retries; `stop` waits for the round under way.
 */
export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly round: () => Promise<T>,
    private readonly options: { pollMs: number; onError?: (err: unknown) => void },
  ) {}

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue;
  }

  /** One round, after any under way; rejects when it fails (the failure is also reported). */
  tick(): Promise<T> {
    const round = this.queue.then(() => this.round());
    this.queue = round.catch((err: unknown) => this.options.onError?.(err));
    return round;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.tick()
        .catch(() => undefined)
        .then(() => {
          if (!this.stopped) {
            this.schedule();
          }
        });
    }, this.options.pollMs);
    this.timer.unref();
  }
}
