import { progress } from './progress';

/** A stand-in for standard error: a terminal or not, keeping what is written. */
function stderr(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (chunk: string | Uint8Array) => written.push(String(chunk)) > 0 };
}

describe('progress of long work', () => {
  it('draws a bar on a terminal, with how far it came and the detail', () => {
    const terminal = stderr(true);
    const bar = progress('rebuild', terminal);
    bar.update(25, 100, '25,000 events');
    bar.update(50, 100, '50,000 events');
    bar.stop();
    const screen = terminal.written.join('');
    expect(screen).toContain('rebuild [');
    expect(screen).toContain('50 % | 50,000 events');
    expect(screen).toMatch(/█{15}░{15}/);
  });

  it('writes plain lines, no escape codes, where standard error is a file or a pipe', () => {
    const pipe = stderr(false);
    const bar = progress('verify', pipe);
    bar.update(100_000, undefined, '100,000 events checked');
    bar.update(200_000, undefined, '200,000 events checked');
    bar.stop();
    expect(pipe.written).toEqual(['verify: 100,000 events checked\n', 'verify: 200,000 events checked\n']);
    const quiet = stderr(false);
    progress('demo', quiet, { lines: false }).update(1, 5, 'the meeting of 2018-06-14');
    expect(quiet.written).toEqual([]);
  });
});
