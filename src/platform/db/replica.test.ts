import { describe, expect, it } from 'vitest';
import { LagClock, lsnPosition } from './replica.ts';

describe('lsnPosition', () => {
  it('reads a pg_lsn as a byte position, the high half shifted by 32 bits', () => {
    expect(lsnPosition('0/16B3748')).toBe(0x16b3748n);
    expect(lsnPosition('1/0')).toBe(1n << 32n);
    expect(lsnPosition('A/FF')).toBeGreaterThan(lsnPosition('9/FFFFFFFF'));
  });
});

describe('LagClock', () => {
  it('is zero while the replica has replayed everything the primary was seen to have', () => {
    const clock = new LagClock();
    clock.primaryAt(100n, 1000);
    expect(clock.replicaAt(100n, 5000)).toBe(0);
  });

  it('is the age of the oldest position the replica has not replayed, not the time since the last write', () => {
    const clock = new LagClock();
    clock.primaryAt(100n, 1000);
    clock.primaryAt(100n, 2000); // nothing written: the position stays, its time is the first sighting
    clock.primaryAt(200n, 3000);
    clock.primaryAt(300n, 4000);
    expect(clock.replicaAt(50n, 4500)).toBe(3500);
    expect(clock.replicaAt(100n, 4500)).toBe(1500);
    expect(clock.replicaAt(250n, 4600)).toBe(600);
    expect(clock.replicaAt(300n, 4700)).toBe(0);
  });

  it('keeps a bounded number of sightings while a replica stays behind', () => {
    const clock = new LagClock(3);
    for (let k = 1; k <= 10; k += 1) {
      clock.primaryAt(BigInt(k * 10), k * 1000);
    }
    // The oldest kept is the eighth sighting: the lag reads from there, the earlier ones forgotten.
    expect(clock.replicaAt(0n, 10_000)).toBe(2000);
  });
});
