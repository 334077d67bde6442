import { describe, it, expect } from 'vitest';
import { notifyingWrite, patientsInLines } from './stored-hook.js';

describe('patientsInLines', () => {
  it('reads each patient once, in order, and skips the unassigned inbox', () => {
    const body = [
      'blood_pressure,device=sn-1,gateway=home-1,patient=p-2 systolic=140,reading_id="a" 1000',
      'spo2,device=sn-2,gateway=home-1,patient=_unassigned spo2=95,reading_id="b" 2000',
      'spo2,device=sn-3,gateway=home-1,patient=p-1 spo2=95,reading_id="c" 2000',
      'heart_rate,device=sn-1,gateway=home-1,patient=p-2 heartRate=70,reading_id="d" 1000',
    ].join('\n');
    expect(patientsInLines(body)).toEqual(['p-2', 'p-1']);
  });

  it('unescapes tag values and ignores a patient= that is a field, not a tag', () => {
    expect(patientsInLines('m,patient=p\\ 1,device=x f=1 1')).toEqual(['p 1']);
    expect(patientsInLines('m,device=x note="patient=p-9" 1')).toEqual([]);
  });
});

describe('notifyingWrite', () => {
  it('tells only after the write succeeded', async () => {
    const heard: string[][] = [];
    const ok = notifyingWrite(() => Promise.resolve(), (ids) => heard.push([...ids]));
    await ok('m,patient=p-1 f=1 1');
    const failing = notifyingWrite(() => Promise.reject(new Error('influx down')), (ids) => heard.push([...ids]));
    await expect(failing('m,patient=p-2 f=1 1')).rejects.toThrow('influx down');
    expect(heard).toEqual([['p-1']]);
  });
});

describe('patientsInLines on the bytes the drainer sends', () => {
  it('gives the same answer for a Buffer as for the text, and looks only at tags', () => {
    const body = [
      'm,device=sn-1,gateway=h-1,patient=p-ä f=1 1',
      'm,device=sn-2 note="x,patient=p-field" 2',
      'm,device=sn-3,gateway=h-1,patient=p\\,comma,zone=z f=1 3',
      'm,device=sn-4,gateway=h-1,patient=p-ä f=2 4',
    ].join('\n');
    expect(patientsInLines(Buffer.from(body))).toEqual(['p-ä', 'p,comma']);
    expect(patientsInLines(body)).toEqual(['p-ä', 'p,comma']);
  });
});
