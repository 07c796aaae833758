import { deciderSpec } from '@kansli/testing';
import { RegisterDocument, TakeDiarienummer, type DocumentFields } from './document.commands';
import { diarienummerRegisterDecider, documentDecider } from './document.decider';
import { parseDiarienummer, type DiarienummerRegisterEvent, type DocumentRegistered } from './document.events';

const context = { occurredAt: '2018-06-20T10:00:00+02:00' };
const letter: DocumentFields = { date: '2018-06-18', direction: 'INKOMMANDE', counterpart: 'Skellefteå kommun', description: 'Ansökan om medel till Hälsa för livet', secrecy: null };
const register = (fields: Partial<DocumentFields> = {}, dnr: string | null = '2018-0012') =>
  new RegisterDocument('doc-1', 'body-1', dnr, { ...letter, ...fields }, '2018-06-20T10:00:00+02:00', '2018-06-20', context);
const registered = (data: Partial<DocumentRegistered['data']> = {}): DocumentRegistered => ({
  type: 'DocumentRegistered',
  data: { documentId: 'doc-1', bodyId: 'body-1', dnr: '2018-0012', ...letter, registeredAt: '2018-06-20T10:00:00+02:00', ...data },
});

describe('R12: documents are registered with date, diarienummer, counterpart and description', () => {
  it('R12: registers an incoming document with its date, dnr, sender and description', () => {
    deciderSpec(documentDecider).given([]).when(register()).then([registered()]);
  });

  it('R12: refuses a document without a description', () => {
    deciderSpec(documentDecider).given([]).when(register({ description: '   ' })).thenThrows(/short description/, { code: 'RULE_VIOLATION', rule: 'R12' });
  });

  it('R12: refuses an incoming document without its sender and an outgoing one without its recipient; a document drawn up here needs none', () => {
    deciderSpec(documentDecider).given([]).when(register({ counterpart: null })).thenThrows(/incoming document is registered with its sender/, { code: 'RULE_VIOLATION', rule: 'R12' });
    deciderSpec(documentDecider).given([]).when(register({ direction: 'UTGAENDE', counterpart: ' ' })).thenThrows(/outgoing document is registered with its recipient/, { rule: 'R12' });
    deciderSpec(documentDecider).given([]).when(register({ direction: 'UPPRATTAD', counterpart: null })).then([registered({ direction: 'UPPRATTAD', counterpart: null })]);
  });

  it('R12: refuses a document without a diarienummer', () => {
    deciderSpec(documentDecider).given([]).when(register({}, null)).thenThrows(/under a diarienummer/, { code: 'RULE_VIOLATION', rule: 'R12' });
  });

  it('refuses a date in the future (the Swedish day of the registration is the last possible) and impossible dates', () => {
    deciderSpec(documentDecider).given([]).when(register({ date: '2018-06-21' })).thenThrows(/2018-06-21 is in the future \(today is 2018-06-20\)/, { code: 'BAD_USER_INPUT' });
    deciderSpec(documentDecider).given([]).when(register({ date: '2018-06-20' })).then([registered({ date: '2018-06-20' })]);
    deciderSpec(documentDecider).given([]).when(register({ date: '1899-12-31' })).thenThrows(/from 1900-01-01/, { code: 'BAD_USER_INPUT' });
  });

  it('keeps an imported dnr as it is written, trimmed; refuses one over 50 characters or with a line break', () => {
    deciderSpec(documentDecider).given([]).when(register({}, ' KS/2019/0001/0009 ')).then([registered({ dnr: 'KS/2019/0001/0009' })]);
    deciderSpec(documentDecider).given([]).when(register({}, 'x'.repeat(51))).thenThrows(/dnr must be 1–50 characters, got 51/, { code: 'BAD_USER_INPUT' });
    deciderSpec(documentDecider).given([]).when(register({}, '9-2017\n')).then([registered({ dnr: '9-2017' })]);
    deciderSpec(documentDecider).given([]).when(register({}, '9-\n2017')).thenThrows(/control characters/, { code: 'BAD_USER_INPUT' });
  });

  it('takes secrecy as an OSL reference, and refuses anything else', () => {
    deciderSpec(documentDecider).given([]).when(register({ secrecy: 'OSL 21:1' })).then([registered({ secrecy: 'OSL 21:1' })]);
    deciderSpec(documentDecider).given([]).when(register({ secrecy: '26 kap. 1 § OSL' })).then([registered({ secrecy: '26 kap. 1 § OSL' })]);
    deciderSpec(documentDecider).given([]).when(register({ secrecy: 'hemligt' })).thenThrows(/OSL reference/, { code: 'BAD_USER_INPUT' });
  });

  it('registers a document once', () => {
    deciderSpec(documentDecider).given([registered()]).when(register()).thenThrows(/already registered/, { code: 'CONFLICT' });
  });
});

describe('R12: the body\'s diarienummer series per year', () => {
  const take = (imported: TakeDiarienummer['imported'] = null) => new TakeDiarienummer('body-1', 2018, 'doc-9', imported);
  const assigned = (number: number, dnr: string): DiarienummerRegisterEvent => ({ type: 'DiarienummerAssigned', data: { bodyId: 'body-1', year: 2018, number, dnr, documentId: 'doc-9' } });

  it('R12: hands out 2018-0001 first, then the next number, never one twice', () => {
    deciderSpec(diarienummerRegisterDecider).given([]).when(take()).then([assigned(1, '2018-0001')]);
    deciderSpec(diarienummerRegisterDecider).given([assigned(1, '2018-0001'), assigned(2, '2018-0002')]).when(take()).then([assigned(3, '2018-0003')]);
  });

  it('R12: an imported dnr of the series\' form moves the series past it; one already behind it changes nothing', () => {
    const continued: DiarienummerRegisterEvent = { type: 'DiarienummerSeriesContinued', data: { bodyId: 'body-1', year: 2018, next: 41, dnr: '2018-0040', documentId: 'doc-9' } };
    deciderSpec(diarienummerRegisterDecider).given([assigned(1, '2018-0001')]).when(take({ dnr: '2018-0040', number: 40 })).then([continued]);
    deciderSpec(diarienummerRegisterDecider).given([assigned(1, '2018-0001'), continued]).when(take()).then([assigned(41, '2018-0041')]);
    deciderSpec(diarienummerRegisterDecider).given([assigned(1, '2018-0001'), assigned(2, '2018-0002')]).when(take({ dnr: '2018-0002', number: 2 })).then([]);
  });

  it('reads only YYYY-NNNN (four to six digits) as the series\' form; anything else is an opaque dnr', () => {
    expect(parseDiarienummer('2018-0012')).toEqual({ year: 2018, number: 12 });
    expect(parseDiarienummer('2018-10000')).toEqual({ year: 2018, number: 10000 });
    expect(['9-2017', 'KS/2019/0001', '2018-12', '2018-0000', '1234-0001', '2018-0012 '].map(parseDiarienummer)).toEqual([null, null, null, null, null, null]);
  });
});
