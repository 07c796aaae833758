/**
 * Runs work one at a time per key, in the order it arrives, within this process: commands that all meet in one
 * stream (a body's paragraph register, a diarium's number series) queue here instead of racing each other to the
 * store, so that only other processes (replicas) can conflict with them. Different keys run side by side.
 */
export class OneAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // The queue's entry goes when its last work is done, so that the map holds only keys with work waiting.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}
