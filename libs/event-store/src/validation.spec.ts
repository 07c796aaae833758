import { canonicalJson } from '@kansli/tlog';
import type { EventMetadata } from './event';
import { canonicalMetadata } from './validation';

describe('canonicalMetadata', () => {
  it('is the canonical JSON (RFC 8785) of any metadata the store accepts, whatever its key order', () => {
    const values = { occurredAt: '2018-06-14T09:00:00+02:00', actor: 'sekreterare "Åsa"', correlationId: 'corr-1', causationId: 'cause-1' };
    const keys = Object.keys(values) as Array<keyof typeof values>;
    for (let mask = 0; mask < 16; mask++) {
      const present = keys.filter((_, bit) => mask & (1 << bit));
      for (const order of [present, [...present].reverse()]) {
        const metadata = Object.fromEntries(order.map((key) => [key, values[key]])) as unknown as EventMetadata;
        expect(canonicalMetadata(metadata)).toBe(canonicalJson(metadata));
      }
    }
    expect(canonicalMetadata({ occurredAt: 'x', actor: undefined })).toBe('{"occurredAt":"x"}');
  });
});
