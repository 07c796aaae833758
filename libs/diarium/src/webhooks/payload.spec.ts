import type { RecordedEvent } from '@kansli/event-store';
import { MAX_PAYLOAD_BYTES, thinPayload } from './payload';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ id: 'e1', type, data, metadata: { occurredAt: '2018-06-14T10:00:00+02:00', actor: 'anna' }, stream: 's', revision: 0n, position: 7n, recordedAt: '2018-06-20T08:00:00.000Z' }) as RecordedEvent;
const facts = { dnrsOfMotions: (ids: readonly string[]) => ids.map((id) => (id === 'm1' ? '2018-0012' : '9-2017')) };

describe('thin payloads', () => {
  it('carry the type, the event\'s ids, its dnr and links to the pages, never its texts', () => {
    const payload = thinPayload(
      recorded('DecisionTaken', { meetingId: 'mt', bodyId: 'b', decisionId: 'd', paragraph: 27, motionIds: ['m1'], title: 'Ansökan', clauses: ['att bevilja 200 000 kr'], votes: [{ personId: 'p', ballot: 'JA' }] }),
      facts,
    );
    expect(payload).toEqual({
      type: 'DecisionTaken',
      timestamp: '2018-06-20T08:00:00.000Z',
      data: {
        eventId: 'e1', occurredAt: '2018-06-14T10:00:00+02:00', recordedAt: '2018-06-20T08:00:00.000Z',
        meetingId: 'mt', bodyId: 'b', decisionId: 'd', motionIds: ['m1'], paragraph: 27, dnr: '2018-0012',
        links: { protocol: '/protokoll/mt', extract: '/protokoll/mt/27' },
      },
    });
  });

  it('name every dnr the event carries, also inside a kallelse\'s agenda', () => {
    const payload = thinPayload(recorded('MeetingScheduled', { meetingId: 'mt', bodyId: 'b', agenda: [{ itemId: 'i1', dnr: '2018-0012' }, { itemId: 'i2', dnr: null }, { itemId: 'i3', dnr: '9-2017' }] }), facts);
    expect(payload.data).toMatchObject({ dnr: '2018-0012', dnrs: ['2018-0012', '9-2017'] });
    expect(thinPayload(recorded('DocumentRegistered', { documentId: 'doc', bodyId: 'b', dnr: '2018-0001', description: 'Ansökan' }), facts).data).toEqual({
      eventId: 'e1', occurredAt: '2018-06-14T10:00:00+02:00', recordedAt: '2018-06-20T08:00:00.000Z', documentId: 'doc', bodyId: 'b', dnr: '2018-0001',
    });
  });

  it(`stay under ${MAX_PAYLOAD_BYTES} bytes: the longest list of ids is cut, and the payload says so`, () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const payload = thinPayload(recorded('DelegatedDecisionsReported', { decisionId: 'd', delegatedDecisionIds: ids }), facts);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payload.data.truncated).toBe(true);
    expect((payload.data.delegatedDecisionIds as string[]).length).toBeGreaterThan(100);
  });
});
