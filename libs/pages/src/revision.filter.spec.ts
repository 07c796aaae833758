import { readFilter, stockholmInstant } from './revision.controller';

describe("the auditors' timeline filter", () => {
  it('reads a day in Swedish time, in summer and winter and across the daylight-saving switches', () => {
    expect(stockholmInstant('2018-06-14', false)).toBe('2018-06-14T00:00:00+02:00');
    expect(stockholmInstant('2018-06-14', true)).toBe('2018-06-14T23:59:59.999+02:00');
    expect(stockholmInstant('2018-01-10', false)).toBe('2018-01-10T00:00:00+01:00');
    // 2018-03-25: clocks went forward at 02:00, so the day starts at +01:00 and ends at +02:00.
    expect(stockholmInstant('2018-03-25', false)).toBe('2018-03-25T00:00:00+01:00');
    expect(stockholmInstant('2018-03-25', true)).toBe('2018-03-25T23:59:59.999+02:00');
    expect(stockholmInstant('2018-10-28', false)).toBe('2018-10-28T00:00:00+02:00');
    expect(stockholmInstant('2018-10-28', true)).toBe('2018-10-28T23:59:59.999+01:00');
  });

  it('turns the form into the timeline filter of the API', () => {
    const id = '3df58e6f-7136-470c-94d1-593198af67bb';
    expect(readFilter({ bodyId: id.toUpperCase(), type: 'DecisionTaken', dnr: ' 9-2017 ', occurredFrom: '2018-06-14', after: '40' })).toEqual({
      form: { bodyId: id.toUpperCase(), type: 'DecisionTaken', entityId: '', personId: '', dnr: '9-2017', occurredFrom: '2018-06-14', occurredTo: '', recordedFrom: '', recordedTo: '' },
      filter: { bodyId: id, types: ['DecisionTaken'], dnr: '9-2017', occurredFrom: '2018-06-14T00:00:00+02:00' },
      after: 40,
      errors: [],
    });
  });

  it('names every field that is wrong, a repeated one too', () => {
    const { errors, filter } = readFilter({ entityId: 'x', personId: ['a', 'b'], recordedTo: '2018-13-01', type: '<b>', after: '-1' });
    expect(errors).toEqual([
      'personId angavs flera gånger',
      'Id: x är inget id (ett UUID)',
      'Händelsetyp: <b> är ingen känd händelsetyp',
      'Registrerad till: 2018-13-01 är inget datum (ÅÅÅÅ-MM-DD)',
      'after: ingen giltig sida',
    ]);
    expect(filter).toEqual({});
  });
});
