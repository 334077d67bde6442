/**
 * Resolves the patient of every reading of a message at once: identical (device, user index,
 * measurement time) questions are asked once, and all are asked concurrently, so a SQL registry
 * costs one round trip per message rather than one per reading in sequence.
 */
import type { Reading } from '../../contract/index.js';
import type { DeviceDirectory } from '../registry/registry.js';
import { resolveAssignment, type AssignmentPeriod } from '../registry/resolve-assignment.js';
import { instantMs } from '../storage/instant-ms.js';

/**
 * The patients of a message's readings without waiting, when the directory already knows every
 * device's assignments (the usual case: they are cached); undefined when one must be loaded.
 */
export function resolveKnownPatients(devices: DeviceDirectory, readings: readonly Reading[]): (string | undefined)[] | undefined {
  if (!devices.knownAssignments) return undefined;
  const out = new Array<string | undefined>(readings.length);
  let device: string | undefined;
  let periods: readonly AssignmentPeriod[] | undefined;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    if (r.device.id !== device) {
      device = r.device.id;
      periods = devices.knownAssignments(device);
      if (!periods) return undefined;
    }
    out[i] = resolveAssignment(periods!, r.device.userIndex, instantMs(r.measuredAt));
  }
  return out;
}

export async function resolvePatients(devices: DeviceDirectory, readings: readonly Reading[]): Promise<(string | undefined)[]> {
  const asked = new Map<string, Promise<string | undefined>>();
  return Promise.all(
    readings.map((r) => {
      const key = `${r.device.id}\u0000${r.device.userIndex ?? ''}\u0000${r.measuredAt}`;
      let answer = asked.get(key);
      if (!answer) {
        answer = devices.resolvePatient(r.device.id, r.device.userIndex, new Date(r.measuredAt));
        asked.set(key, answer);
      }
      return answer;
    }),
  );
}
