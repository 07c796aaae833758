import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a caller make perMinute requests a minute, counts callers apart, and forgets after the minute', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now = 60_000;
    expect(limiter.take('a')).toBe(true);
  });
});
