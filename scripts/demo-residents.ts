/**
 * The demo's cast: three homes with residents of different conditions and device kits, one of whom
 * deteriorates within the first minute (a chest infection on top of COPD: SpO2, pulse and temperature
 * go the way firmware-sim's deteriorating-infection scenario takes them, compressed from 12 hours to
 * under a minute), so that NEWS2 reaches high risk and the engine raises an urgent alert live.
 * Everyone has a week of morning and evening readings behind them, for the charts. A community room
 * shares one cuff and one scale between two residents, told apart by the devices' user index (who
 * pressed which user button), each index assigned to its resident in the registry; its guest slot and
 * its shared oximeter and thermometer belong to nobody, so their readings are the resident's who is
 * checked in (staff check-in page or the room's kiosk), else they wait in the unassigned inbox.
 */
import type { HomeVitals, SimDeviceKind } from '../firmware-sim/home.js';
import { gaussian, seededRandom } from '../firmware-sim/physiology/random.js';

export type ConditionGroup = 'copd' | 'heart_failure' | 'hypertension' | 'diabetes';

export interface DemoResident {
  readonly patientId: string;
  readonly displayName: string;
  readonly conditionGroups: readonly ConditionGroup[];
  /** Which of the home's devices are this resident's. */
  readonly devices: readonly SimDeviceKind[];
  /** In a community room: the resident's user index on the shared devices. */
  readonly userIndex?: number;
}

export interface DemoHome {
  readonly gatewayId: string;
  readonly timeZone: string;
  /** Seeds the device serials (sn-BPC-<seed>, ...) and the residents' scatter. */
  readonly seed: number;
  readonly residents: readonly DemoResident[];
  /** A community room's devices that nobody owns (no user slot): a check-in session says whose their readings are. */
  readonly sharedDevices?: readonly SimDeviceKind[];
  /** A community room's user slot on the cuff and scale that is assigned to nobody (for residents who check in). */
  readonly guestUserIndex?: number;
  /** What the home's devices read at `at` (for user `userIndex` of a community room). */
  readonly vitals: (at: Date, userIndex: number | undefined) => Partial<HomeVitals>;
}

/** The user indexes of a community room's residents; undefined for a home. */
export function roomUsers(home: DemoHome): number[] | undefined {
  const users = home.residents.map((r) => r.userIndex).filter((u): u is number => u !== undefined);
  return users.length > 0 ? users : undefined;
}

/** Seconds after the demo starts when the deterioration begins, and how long it takes to reach its worst. */
export const DETERIORATION_ONSET_S = 10;
export const DETERIORATION_RAMP_S = 40;

/** Reproducible scatter per home and instant: re-running the demo the same day re-sends the same history (same reading ids). */
function scatter(seed: number, at: Date): (mean: number, sd: number) => number {
  const random = seededRandom((seed * 2_654_435_761) ^ Math.floor(at.getTime() / 60_000));
  return (mean, sd) => gaussian(random, mean, sd);
}

function bp(g: (mean: number, sd: number) => number, systolic: number, diastolic: number, pulse: number): HomeVitals['bloodPressure'] {
  const s = Math.round(g(systolic, 6));
  return { systolic: s, diastolic: Math.min(Math.round(g(diastolic, 4)), s - 20), pulseRate: Math.round(g(pulse, 4)) };
}

/** 0 before the onset, rising to 1 over the ramp, then 1. */
export function deterioration(at: Date, startedAt: Date): number {
  const s = (at.getTime() - startedAt.getTime()) / 1000 - DETERIORATION_ONSET_S;
  return Math.min(1, Math.max(0, s / DETERIORATION_RAMP_S));
}

export function demoHomes(startedAt: Date): DemoHome[] {
  return [
    {
      gatewayId: 'demo-home-1',
      timeZone: 'Europe/Copenhagen',
      seed: 1,
      residents: [{ patientId: 'p-demo-1', displayName: 'Jensen, Karen', conditionGroups: ['hypertension'], devices: ['cuff'] }],
      vitals: (at) => ({ bloodPressure: bp(scatter(1, at), 148, 88, 72) }),
    },
    {
      gatewayId: 'demo-home-2',
      timeZone: 'Europe/Copenhagen',
      seed: 2,
      residents: [{ patientId: 'p-demo-2', displayName: 'Nielsen, Poul', conditionGroups: ['copd'], devices: ['oximeter', 'thermometer'] }],
      vitals: (at) => {
        // deteriorating-infection's endpoints: SpO2 96 -> 88 %, pulse 70 -> 126/min, 36.8 -> 39.4 °C.
        const f = deterioration(at, startedAt);
        const g = scatter(2, at);
        const wobble = (sd: number) => (f > 0 ? 0 : g(0, sd));
        return {
          spo2: Math.round(Math.min(100, 95 - 7 * f + wobble(0.6))),
          pulse: Math.round(74 + 52 * f + wobble(3)),
          temperatureC: Math.round((36.8 + 2.6 * f + wobble(0.15)) * 10) / 10,
        };
      },
    },
    {
      gatewayId: 'demo-home-3',
      timeZone: 'Europe/Stockholm',
      seed: 3,
      residents: [
        { patientId: 'p-demo-3', displayName: 'Lindqvist, Ingrid', conditionGroups: ['heart_failure'], devices: ['scale', 'cuff'] },
        { patientId: 'p-demo-4', displayName: 'Lindqvist, Sven', conditionGroups: ['diabetes'], devices: ['glucose'] },
      ],
      vitals: (at) => {
        const g = scatter(3, at);
        return { bloodPressure: bp(g, 118, 72, 68), weightKg: Math.round(g(81.5, 0.3) * 10) / 10, glucoseMgDl: Math.round(g(145, 20)) };
      },
    },
    {
      gatewayId: 'demo-room-1',
      timeZone: 'Europe/Copenhagen',
      seed: 4,
      residents: [
        { patientId: 'p-demo-5', displayName: 'Madsen, Birthe', conditionGroups: ['hypertension'], devices: ['cuff', 'scale'], userIndex: 1 },
        { patientId: 'p-demo-6', displayName: 'Petersen, Aage', conditionGroups: ['heart_failure'], devices: ['cuff', 'scale'], userIndex: 2 },
        // Measured only while checked in: the guest slot of the cuff and scale, the shared oximeter and thermometer.
        { patientId: 'p-demo-7', displayName: 'Holm, Else', conditionGroups: ['copd'], devices: [] },
      ],
      sharedDevices: ['oximeter', 'thermometer'],
      guestUserIndex: 3,
      vitals: (at, user) => {
        const g = scatter(40 + (user ?? 0), at);
        // Holm, Else (guest slot, and the shared devices, which measure on the first turn): a COPD exacerbation.
        const shared = { spo2: Math.round(g(91.5, 0.5)), pulse: Math.round(g(106, 3)), temperatureC: Math.round(g(38.3, 0.1) * 10) / 10 };
        if (user === 3) return { bloodPressure: bp(g, 104, 64, 106), weightKg: Math.round(g(58, 0.3) * 10) / 10 };
        if (user === 2) return { bloodPressure: bp(g, 112, 68, 64), weightKg: Math.round(g(88, 0.3) * 10) / 10 };
        return { ...shared, bloodPressure: bp(g, 152, 90, 76), weightKg: Math.round(g(64, 0.3) * 10) / 10 };
      },
    },
  ];
}

/** Morning and evening measuring times (07:30 and 17:30 UTC) over the last `days` days, oldest first, all before `now`. */
export function historyTimes(now: Date, days: number): Date[] {
  const out: Date[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = days; d >= 0; d--) {
    for (const hour of [7.5, 17.5]) {
      const at = new Date(today - d * 86_400_000 + hour * 3_600_000);
      if (at.getTime() < now.getTime() - 60_000) out.push(at);
    }
  }
  return out;
}
