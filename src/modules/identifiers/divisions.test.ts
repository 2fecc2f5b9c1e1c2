import { describe, expect, it } from 'vitest';
import { divisionCounts, lookupDivision } from './index.ts';

describe('division codes (GB/T 2260)', () => {
  it('loads the county-level codes from the package', () => {
    const counts = divisionCounts();
    // Printed so that a data update shows in the test log.
    console.log(
      `divisions loaded: ${counts.provinces} provinces, ${counts.prefectures} prefectures, ` +
        `${counts.counties} current county-level codes, ${counts.historicalCounties} earlier county-level codes, ` +
        `${counts.knownCounties} county-level codes known in all`,
    );
    expect(counts.provinces).toBe(31);
    expect(counts.counties).toBeGreaterThan(2800);
    expect(counts.knownCounties).toBeGreaterThanOrEqual(3000);
  });

  it('names current, historical, unknown and malformed codes apart', () => {
    expect(lookupDivision('350102')).toEqual({
      code: '350102',
      status: 'current',
      level: 'county',
      name: '福建省福州市鼓楼区',
    });
    expect(lookupDivision('110105')).toMatchObject({ status: 'current', name: '北京市朝阳区' });
    expect(lookupDivision('350000')).toMatchObject({ status: 'current', level: 'province', name: '福建省' });
    expect(lookupDivision('130521')).toMatchObject({ status: 'historical', name: '河北省邢台市邢台县' });
    expect(lookupDivision('350198').status).toBe('unknown');
    expect(lookupDivision('000000').status).toBe('malformed');
    expect(lookupDivision('990101').status).toBe('malformed');
    expect(lookupDivision('35010').status).toBe('malformed');
    expect(lookupDivision('100000')).toMatchObject({ status: 'current', level: 'national' });
  });
});
