/**
 * Export of a patient's period: FHIR R4 Bundles of vital-signs Observations checked structurally
 * against the R4 Vital Signs profiles (resourceType, category, LOINC codes, UCUM units, references,
 * identifiers, profiles), and CSV for spreadsheets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture } from '../support/api-fixture.js';

interface Coding {
  system: string;
  code: string;
  display: string;
}
interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
}
interface Observation {
  resourceType: string;
  id: string;
  meta: { profile: string[] };
  identifier: { use: string; system: string; value: string }[];
  status: string;
  category: { coding: Coding[] }[];
  code: { coding: Coding[]; text: string };
  subject: { reference?: string; identifier: { system: string; value: string } };
  effectiveDateTime: string;
  issued?: string;
  device: { reference?: string; identifier: { system: string; value: string } };
  valueQuantity?: Quantity;
  component?: { code: { coding: Coding[] }; valueQuantity: Quantity }[];
  note?: { text: string }[];
}
interface Bundle {
  resourceType: string;
  type: string;
  timestamp: string;
  entry: { fullUrl: string; resource: Observation }[];
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const VITALSIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('export', () => {
  let fx: ApiFixture;
  let written: Reading[];

  beforeAll(async () => {
    fx = await startApiFixture();
    const at = (h: number) => new Date(Date.UTC(2026, 2, 1, h));
    written = [
      ...(await writeReadings(fx.influx, IDS.north1, [
        { kind: 'blood_pressure', at: at(7), values: { systolic: 142, diastolic: 88, meanArterialPressure: 106 }, id: 'h-bp_1' },
        { kind: 'spo2', at: at(8), values: { spo2: 94 }, id: 'h-spo2-1' },
        { kind: 'heart_rate', at: at(8), values: { heartRate: 72 }, id: 'h-hr-1' },
        { kind: 'body_temperature', at: at(9), values: { temperature: 37.4 }, id: 'h-temp-1' },
        { kind: 'body_weight', at: at(10), values: { weight: 81.2 }, id: 'h-weight-1' },
        { kind: 'respiratory_rate', at: at(11), values: { respiratoryRate: 18 }, id: 'h-rr-1' },
        { kind: 'blood_glucose', at: at(12), values: { glucose: 6.1 }, id: 'h-glu-1' },
      ])),
      ...(await writeReadings(fx.influx, IDS.north1, [
        { kind: 'heart_rate', at: at(13), values: { heartRate: 300 }, id: 'h-hr-2', deviceId: 'mac:AA:BB:CC:DD:EE:FF', implausible: true },
        { kind: 'heart_rate', at: at(14), values: { heartRate: 66 }, id: 'h-hr-3', deviceId: '=HYPERLINK("x")' },
      ])),
    ];
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function bundle(query = RANGE): Promise<Bundle> {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/fhir?${query}`, headers: fx.auth('clinician') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    return res.json<Bundle>();
  }

  const byReading = (b: Bundle, readingId: string) => {
    const o = b.entry.find((e) => e.resource.identifier[0]?.value === readingId)?.resource;
    if (!o) throw new Error(`no observation for ${readingId}`);
    return o;
  };

  it('is a FHIR R4 collection Bundle with one Observation per reading', async () => {
    const b = await bundle();
    expect(b.resourceType).toBe('Bundle');
    expect(b.type).toBe('collection');
    expect(Number.isNaN(Date.parse(b.timestamp))).toBe(false);
    expect(b.entry).toHaveLength(written.length);
    for (const e of b.entry) {
      expect(e.fullUrl).toMatch(UUID);
      const o = e.resource;
      expect(o.resourceType).toBe('Observation');
      expect(o.id).toMatch(FHIR_ID);
      expect(o.status).toBe('final');
      expect(o.subject).toEqual({ reference: `Patient/${IDS.north1}`, identifier: { system: 'urn:rpm-hub:patient-id', value: IDS.north1 } });
      expect(o.identifier).toEqual([{ use: 'official', system: 'urn:rpm-hub:reading-id', value: expect.any(String) as string }]);
      const reading = written.find((r) => r.id === o.identifier[0]?.value);
      expect(reading).toBeDefined();
      expect(o.effectiveDateTime).toBe(reading?.measuredAt);
      expect(o.issued).toBe(reading?.receivedAt);
      expect(o.device.identifier).toEqual({ system: 'urn:rpm-hub:device-id', value: reading?.device.id });
      for (const q of [o.valueQuantity, ...(o.component ?? []).map((c) => c.valueQuantity)].filter((x): x is Quantity => x !== undefined)) {
        expect(q.system).toBe(UCUM);
        expect(typeof q.value).toBe('number');
      }
      for (const c of o.code.coding) expect(c.system).toBe(LOINC);
    }
  });

  it('codes vital signs by the R4 profiles: category, LOINC, UCUM and profile per kind', async () => {
    const b = await bundle();
    const vital = (o: Observation) => o.category.flatMap((c) => c.coding).find((c) => c.system === CATEGORY)?.code;
    const codes = (o: Observation) => o.code.coding.map((c) => c.code);
    const cases: [string, string[], string, string | undefined, number | undefined][] = [
      ['h-spo2-1', ['59408-5', '2708-6'], 'http://hl7.org/fhir/StructureDefinition/oxygensat', '%', 94],
      ['h-hr-1', ['8867-4'], 'http://hl7.org/fhir/StructureDefinition/heartrate', '/min', 72],
      ['h-temp-1', ['8310-5'], 'http://hl7.org/fhir/StructureDefinition/bodytemp', 'Cel', 37.4],
      ['h-weight-1', ['29463-7'], 'http://hl7.org/fhir/StructureDefinition/bodyweight', 'kg', 81.2],
      ['h-rr-1', ['9279-1'], 'http://hl7.org/fhir/StructureDefinition/resprate', '/min', 18],
    ];
    for (const [id, loinc, profile, unit, value] of cases) {
      const o = byReading(b, id);
      expect(vital(o), id).toBe('vital-signs');
      expect(codes(o), id).toEqual(loinc);
      expect(o.meta.profile, id).toEqual([VITALSIGNS, profile]);
      expect(o.valueQuantity, id).toMatchObject({ code: unit, value, system: UCUM });
      expect(o.component, id).toBeUndefined();
    }
  });

  it('sends blood pressure as the 85354-9 panel with systolic and diastolic components in mm[Hg]', async () => {
    const o = byReading(await bundle(), 'h-bp_1');
    expect(o.code.coding.map((c) => c.code)).toEqual(['85354-9']);
    expect(o.meta.profile).toEqual([VITALSIGNS, 'http://hl7.org/fhir/StructureDefinition/bp']);
    expect(o.valueQuantity).toBeUndefined();
    expect(o.component?.map((c) => [c.code.coding[0]?.code, c.valueQuantity.value, c.valueQuantity.code, c.valueQuantity.unit])).toEqual([
      ['8480-6', 142, 'mm[Hg]', 'mmHg'],
      ['8462-4', 88, 'mm[Hg]', 'mmHg'],
      ['8478-0', 106, 'mm[Hg]', 'mmHg'],
    ]);
    // The reading id has a character FHIR ids do not allow: a stable hash stands in, the identifier keeps the original.
    expect(o.id).not.toBe('h-bp_1');
    expect(o.id).toMatch(FHIR_ID);
  });

  it('sends glucose as a laboratory observation without the vital-signs profile', async () => {
    const o = byReading(await bundle(), 'h-glu-1');
    expect(o.category[0]?.coding[0]?.code).toBe('laboratory');
    expect(o.meta.profile).toEqual([]);
    expect(o.valueQuantity).toMatchObject({ code: 'mmol/L', system: UCUM, value: 6.1 });
  });

  it('references devices by id where FHIR allows, by identifier always, and flags data-quality problems', async () => {
    const b = await bundle();
    expect(byReading(b, 'h-hr-1').device.reference).toBe(`Device/${IDS.cuff}`);
    const odd = byReading(b, 'h-hr-2');
    expect(odd.device).toEqual({ identifier: { system: 'urn:rpm-hub:device-id', value: 'mac:AA:BB:CC:DD:EE:FF' } });
    expect(odd.note?.map((n) => n.text).join(' ')).toMatch(/plausible/);
  });

  it('gives the same observation the same id, identifier and fullUrl in every export, so receivers can de-duplicate', async () => {
    const first = await bundle();
    const second = await bundle('from=2026-03-01T07:00:00Z&to=2026-03-01T09:00:00Z&kinds=blood_pressure,spo2');
    expect(second.entry.map((e) => e.resource.identifier[0]?.value).sort()).toEqual(['h-bp_1', 'h-spo2-1']);
    for (const e of second.entry) {
      const same = first.entry.find((f) => f.resource.identifier[0]?.value === e.resource.identifier[0]?.value);
      expect(same?.fullUrl).toBe(e.fullUrl);
      expect(same?.resource.id).toBe(e.resource.id);
    }
  });

  it('exports CSV, one line per component, with a header, quoting and no spreadsheet formulas', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/export.csv?${RANGE}`, headers: fx.auth('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${IDS.north1}-readings.csv"`);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('reading_id,kind,measured_at,received_at,device_id,gateway_id,user_index,component,loinc,value,unit,late,clock_suspect,implausible,source,entered_by,superseded_by,attribution');
    const components = written.reduce((n, r) => n + r.components.length, 0);
    expect(lines).toHaveLength(1 + components);
    expect(lines).toContain(`h-bp_1,blood_pressure,2026-03-01T07:00:00.000Z,2026-03-01T07:01:00.000Z,${IDS.cuff},${IDS.gateway},,systolic,8480-6,142,mm[Hg],false,false,false,device,,,`);
    // A device id that a spreadsheet would run as a formula is neutralised and quoted.
    expect(lines.find((l) => l.startsWith('h-hr-3,'))).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('refuses an export period longer than a year, naming the field', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/fhir?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`, headers: fx.auth('clinician') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION', errors: [{ path: 'querystring.from' }] });
  });
});
