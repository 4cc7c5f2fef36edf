import { purgeIntervalMs } from './idempotency-purge.js';

describe('purgeIntervalMs', () => {
  it('purges four times per retention window, at least every hour and at most every second', () => {
    expect([purgeIntervalMs(24 * 3600_000), purgeIntervalMs(3600_000), purgeIntervalMs(2000)]).toEqual([3600_000, 900_000, 1000]);
  });
});
