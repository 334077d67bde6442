/**
 * Resolves the patient of every reading of a message at once: identical (device, user index,
 * measurement time) questions are asked once, and all are asked concurrently, so a SQL registry
 * costs one round trip per message rather than one per reading in sequence.
 */
import type { Reading } from '../../contract/index.js';
import type { DeviceDirectory } from '../registry/registry.js';

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
