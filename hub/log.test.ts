import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHubLogger, scrubPatientData } from './log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createHubLogger('info', stream), lines };
}

describe('hub logger', () => {
  it("logs a thrown error's type and stack, without the patient identifiers in its message, stack, fields or cause", () => {
    const { log, lines } = capture();
    const cause = new Error('Key (patient_id)=(p-4711) already exists');
    const err = Object.assign(new Error('no readings for patient p-4711 (CPR 010190-1234)', { cause }), { patientId: 'p-4711', code: '23505' });
    try {
      throw err;
    } catch (thrown) {
      log.error({ err: thrown }, 'store failed');
    }
    const entry = lines[0]!;
    const logged = entry.err as { type: string; message: string; stack: string; code: string; patientId: string };
    expect(logged.type).toBe('Error');
    expect(logged.code).toBe('23505');
    expect(logged.stack).toMatch(/at .*log\.test\.ts:\d+/); // the frames an operator needs are there
    expect(logged.message).toBe('no readings for patient [redacted] (CPR [redacted]): Key (patient_id)=([redacted]) already exists');
    expect(JSON.stringify(entry)).not.toMatch(/4711|010190|1234/);
    expect(JSON.stringify(entry)).toContain('Key (patient_id)=([redacted])');
  });

  it('scrubs an error message logged as a plain string, as older call sites do', () => {
    const { log, lines } = capture();
    log.warn({ err: 'patientId=p-9 not found' }, 'lookup failed');
    expect(lines[0]!.err).toBe('patientId=[redacted] not found');
  });

  it('leaves text without patient data alone', () => {
    expect(scrubPatientData('connect ECONNREFUSED 127.0.0.1:8086')).toBe('connect ECONNREFUSED 127.0.0.1:8086');
    expect(scrubPatientData('Swedish 19900101-1234 and 900101-1234')).toBe('Swedish [redacted] and [redacted]');
  });
});
