/**
 * A simulated blood glucose meter (Glucose Service 0x1808, GLS 1.0). Records carry sequence numbers;
 * nothing is sent until the gateway asks through the Record Access Control Point (0x2A52, GLS 1.0
 * §3.4 / §4.9): then the selected records go out as Glucose Measurement (0x2A18) notifications and the
 * procedure ends with a RACP indication (a response code). Every request written to the RACP is kept
 * in `racpRequests`, so tests can check what the gateway asked for.
 */
import type { GlucoseMeasurement } from '../../gateway/profiles/glucose-measurement.js';
import type { RacpFilter, RacpResponse } from '../../gateway/profiles/record-access-control-point.js';
import { encodeGlucoseFeature, encodeGlucoseMeasurement } from '../encoders/glucose.js';
import { encodeRacpResponse, parseRacpRequest } from '../encoders/glucose-racp.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';

export interface GlucoseMeterOptions extends SimDeviceOptions {
  /** Sequence number of the first record (meters count on from their last record). Default 1. */
  readonly firstSequence?: number;
}

interface GlucoseRecord {
  readonly sequenceNumber: number;
  readonly payload: Uint8Array;
}

export class SimGlucoseMeter extends SimDevice {
  readonly localName = 'SimCare GL-7';
  readonly advertisedServices = ['1808'];
  readonly racpRequests: Uint8Array[] = [];
  /** Glucose Measurement notifications sent, by sequence number. */
  readonly sentSequences: number[] = [];
  private readonly records: GlucoseRecord[] = [];
  private nextSequence: number;
  private pushMeasurement: ((value: Uint8Array) => void) | undefined;
  private indicateRacp: ((value: Uint8Array) => void) | undefined;
  private transfer: (() => void) | undefined;

  constructor(options: GlucoseMeterOptions) {
    super(options, { manufacturer: 'SimCare', model: 'GL-7', firmware: '4.2.0', hasClock: true }, {
      '1808': {
        '2a18': { subscribe: (push) => this.hold('measurement', push) },
        '2a34': { subscribe: () => () => undefined }, // context: this meter never sends one
        '2a51': { read: () => encodeGlucoseFeature({ supported: ['multipleBond'] }) },
        '2a52': { subscribe: (push) => this.hold('racp', push), write: (value) => this.onRacpWrite(value) },
      },
    });
    this.nextSequence = options.firstSequence ?? 1;
  }

  /** Takes a reading (mg/dL, whole numbers as meters show them) at `at`; returns its sequence number. */
  measure(mgPerDl: number, at: Date = this.now()): number {
    const m: GlucoseMeasurement = {
      sequenceNumber: this.nextSequence++ & 0xffff,
      baseTime: this.deviceTimeAt(at),
      timeOffset: 0,
      // GLS 1.0 §3.1.1.4: kg/L; 1 mg/dL = 1e-5 kg/L.
      glucoseConcentration: Math.round(mgPerDl) / 1e5,
      unit: 'kg/L',
      type: 'capillaryWholeBlood',
      sampleLocation: 'finger',
      contextInformationFollows: false,
    };
    this.records.push({ sequenceNumber: m.sequenceNumber, payload: encodeGlucoseMeasurement(m) });
    this.startAdvertising();
    return m.sequenceNumber;
  }

  get storedCount(): number {
    return this.records.length;
  }

  override onDisconnect(): void {
    super.onDisconnect();
    this.transfer?.();
    this.transfer = undefined;
  }

  private hold(which: 'measurement' | 'racp', push: (value: Uint8Array) => void): () => void {
    if (which === 'measurement') this.pushMeasurement = push;
    else this.indicateRacp = push;
    return () => {
      if (which === 'measurement') this.pushMeasurement = undefined;
      else this.indicateRacp = undefined;
    };
  }

  private respond(response: RacpResponse): void {
    this.indicateRacp?.(encodeRacpResponse(response));
  }

  private select(filter: RacpFilter): GlucoseRecord[] {
    switch (filter.operator) {
      case 'allRecords':
        return [...this.records];
      case 'firstRecord':
        return this.records.slice(0, 1);
      case 'lastRecord':
        return this.records.slice(-1);
      case 'greaterThanOrEqualTo':
        return this.records.filter((r) => r.sequenceNumber >= filter.sequenceNumber);
      case 'lessThanOrEqualTo':
        return this.records.filter((r) => r.sequenceNumber <= filter.sequenceNumber);
      case 'withinRange':
        return this.records.filter((r) => r.sequenceNumber >= filter.from && r.sequenceNumber <= filter.to);
    }
  }

  private onRacpWrite(value: Uint8Array): void {
    this.racpRequests.push(Uint8Array.from(value));
    // GLS 1.0 §3.4.2.1: writing the RACP without indications enabled is an error (CCCD improperly configured).
    if (!this.indicateRacp) throw new Error('RACP write refused: client characteristic configuration descriptor improperly configured');
    // The meter reads the request with its own parser (encoders/glucose-racp.ts), not the gateway's.
    const parsed = parseRacpRequest(value);
    if (!parsed.ok) {
      const requestOpCode = REQUEST_OP_CODE_NAMES[parsed.opCode] ?? `reserved:${parsed.opCode}`;
      setImmediate(() => this.respond({ opCode: 'responseCode', requestOpCode, responseCode: parsed.refusal }));
      return;
    }
    const req = parsed.request;
    if (req.opCode === 'abortOperation') {
      this.transfer?.();
      this.transfer = undefined;
      setImmediate(() => this.respond({ opCode: 'responseCode', requestOpCode: 'abortOperation', responseCode: 'success' }));
      return;
    }
    const selected = this.select(req.filter);
    if (req.opCode === 'reportNumberOfStoredRecords') {
      setImmediate(() => this.respond({ opCode: 'numberOfStoredRecordsResponse', numberOfRecords: selected.length }));
      return;
    }
    if (selected.length === 0) {
      this.stopAdvertising();
      setImmediate(() => this.respond({ opCode: 'responseCode', requestOpCode: 'reportStoredRecords', responseCode: 'noRecordsFound' }));
      return;
    }
    let cancelled = false;
    this.transfer = () => {
      cancelled = true;
    };
    const sendNext = (i: number) => {
      if (cancelled) return;
      const record = selected[i];
      if (!record) {
        this.transfer = undefined;
        // Everything asked for was sent: like real meters, stop advertising until the next measurement
        // (unless one was taken meanwhile).
        if (this.records.at(-1) === selected.at(-1)) this.stopAdvertising();
        this.respond({ opCode: 'responseCode', requestOpCode: 'reportStoredRecords', responseCode: 'success' });
        return;
      }
      this.sentSequences.push(record.sequenceNumber);
      this.pushMeasurement?.(record.payload);
      setTimeout(() => sendNext(i + 1), 3);
    };
    setTimeout(() => sendNext(0), 3);
  }
}

/** The gateway's names for the op codes a refused request may carry (GLS 1.0 §3.4.1), echoed in the Response Code. */
const REQUEST_OP_CODE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'reportStoredRecords',
  0x02: 'deleteStoredRecords',
  0x03: 'abortOperation',
  0x04: 'reportNumberOfStoredRecords',
  0x05: 'numberOfStoredRecordsResponse',
  0x06: 'responseCode',
};
