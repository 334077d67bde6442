/**
 * How a reading's patient was determined, recorded on every reading (the `attribution` field):
 *  - device_assignment: the device (device-wide) was assigned to the patient at the measurement time;
 *  - user_index: the multi-user device's user slot was assigned to the patient;
 *  - session: a shared device in a community room, during the patient's check-in session there;
 *  - manual_assignment: an admin assigned it from the unassigned inbox (moved there later);
 *  - entered: a person entered the observation for the patient (hub/observations).
 * A field rather than a tag, so that it adds no series and the same reading stays the same point.
 */
export const ATTRIBUTIONS = ['device_assignment', 'user_index', 'session', 'manual_assignment', 'entered'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export const ATTRIBUTION_FIELD = 'attribution';

export function isAttribution(value: unknown): value is Attribution {
  return typeof value === 'string' && (ATTRIBUTIONS as readonly string[]).includes(value);
}
