/** Pages asked meanwhile share one question to the feed, and none is answered by an older one. */
import { describe, expect, it } from 'vitest';
import { ChangeQuestions, type FeedPoint } from './change-questions.ts';

describe('questions to the change feed', () => {
  it('asks once for the pages of one moment, and again, from the new point, for pages that came during the question', async () => {
    const asked: Array<{ after: FeedPoint; ids: number[] }> = [];
    let release: () => void = () => undefined;
    let point: FeedPoint = { txid: 10n, id: 1 };
    const questions = new ChangeQuestions(
      async (after, ids) => {
        asked.push({ after, ids });
        await new Promise<void>((resolve) => (release = resolve));
        return new Set(ids.filter((id) => id % 2 === 0));
      },
      () => point,
    );
    const first = questions.changedAmong([1, 2]);
    const second = questions.changedAmong([3]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([{ after: { txid: 10n, id: 1 }, ids: [1, 2, 3] }]);
    // Arrives while the question is out: it may have been sent before this page's commit, so the
    // page waits for the next one, asked from the point the index has reached by then.
    const late = questions.changedAmong([4, 5]);
    point = { txid: 12n, id: 7 };
    release();
    expect([...(await first)]).toEqual([2]);
    expect([...(await second)]).toEqual([2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked[1]).toEqual({ after: { txid: 12n, id: 7 }, ids: [4, 5] });
    release();
    expect([...(await late)]).toEqual([4]);
  });

  it('passes a failed question to every page that shared it, and asks anew for the next', async () => {
    let fail = true;
    const questions = new ChangeQuestions(
      () => (fail ? Promise.reject(new Error('connection lost')) : Promise.resolve(new Set<number>())),
      () => ({ txid: 1n, id: 0 }),
    );
    const a = questions.changedAmong([1]);
    const b = questions.changedAmong([2]);
    await expect(a).rejects.toThrow('connection lost');
    await expect(b).rejects.toThrow('connection lost');
    fail = false;
    expect((await questions.changedAmong([3])).size).toBe(0);
  });
});
