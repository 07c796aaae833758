import { OneAtATime } from './one-at-a-time';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('OneAtATime', () => {
  it('runs the work of one key one at a time in arrival order, other keys side by side, and forgets idle keys', async () => {
    const lanes = new OneAtATime();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const work = (name: string) => async () => {
      running += 1;
      most = Math.max(most, running);
      log.push(`${name} start`);
      await tick();
      await tick();
      log.push(`${name} end`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([lanes.run('a', work('a1')), lanes.run('a', work('a2')), lanes.run('b', work('b1')), lanes.run('a', work('a3'))]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const ofA = log.filter((line) => line.startsWith('a'));
    expect(ofA).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    expect(most).toBe(2); // b ran beside a
    await tick();
    expect(lanes.size).toBe(0);
  });

  it('goes on with the next work after one fails, and gives the failure to its caller only', async () => {
    const lanes = new OneAtATime();
    const failed = lanes.run('a', async () => {
      throw new Error('refused');
    });
    const next = lanes.run('a', async () => 'done');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('done');
  });
});
