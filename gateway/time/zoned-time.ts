/**
 * Health devices keep local wall-clock time without a zone; the box knows its IANA zone and converts
 * device times to UTC. The conversion itself is shared with the hub's schedules: contract/time-zone.ts.
 */
export { assertTimeZone, zoneOffsetMs, wallClockToUtc as localToUtc, wallClock as utcToLocal } from '../../contract/time-zone.js';
