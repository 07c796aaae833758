/**
 * Requests per caller per minute, in fixed one-minute windows: enough to keep one client from crowding out the
 * others on one server (replicas count separately). Callers are tokens' subjects, or addresses for the public.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request; false when the caller has used up this minute. */
  take(caller: string): boolean {
    const now = this.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    const window = this.windows.get(caller);
    if (!window || now - window.start >= 60_000) {
      this.windows.set(caller, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perMinute;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [caller, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(caller);
  }
}
