/**
 * Where validated readings go. `store` resolves only once the readings are durable: the broker sends
 * PUBACK after that, so an acknowledged reading is never lost.
 */
import type { InfluxV1Client } from './influx-v1.js';
import { toLineProtocol, type StoredReading } from './reading-points.js';

export interface ReadingSink {
  store(readings: readonly StoredReading[]): Promise<void>;
}

/** Writes straight to InfluxDB: durable once InfluxDB answered 204. */
export function influxSink(influx: InfluxV1Client): ReadingSink {
  return {
    async store(readings) {
      if (readings.length === 0) return;
      await influx.write(readings.map(toLineProtocol));
    },
  };
}
