/**
 * Where validated readings go. `store` resolves only once the readings are durable: the broker sends
 * PUBACK after that, so an acknowledged reading is never lost.
 */
import type { InfluxV1Client } from './influx-v1.js';
import { readingLine } from './reading-line.js';
import { toLineProtocol, type StoredReading } from './reading-points.js';

export interface ReadingSink {
  store(readings: readonly StoredReading[]): Promise<void>;
}

/** Something that makes line-protocol points durable: the hub's spool (hub/spool/spool.ts). */
export interface PointLog {
  append(lines: readonly string[]): Promise<void>;
}

/**
 * Appends to the hub's spool: durable once fsynced there; the spool's drainer then writes the points
 * to InfluxDB, retrying while InfluxDB is down. This is what the hub uses.
 */
export function spoolSink(spool: PointLog): ReadingSink {
  return {
    async store(readings) {
      if (readings.length === 0) return;
      // readingLine: the same line as toLineProtocol, without building a Point (the hot path).
      await spool.append(readings.map(readingLine));
    },
  };
}

/** Writes straight to InfluxDB: durable once InfluxDB answered 204. Without a spool, an InfluxDB outage refuses publishes. */
export function influxSink(influx: InfluxV1Client): ReadingSink {
  return {
    async store(readings) {
      if (readings.length === 0) return;
      await influx.write(readings.map(toLineProtocol));
    },
  };
}
