/** A raw mqtt.js client speaking as a gateway, for tests that send exactly the bytes they want. */
import mqtt, { type MqttClient } from 'mqtt';

export async function connectAsGateway(url: string, gatewayId: string, secret: string, clientId = `gw-${gatewayId}`): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId, username: gatewayId, password: secret, reconnectPeriod: 0, clean: true, protocolVersion: 4 });
}

export function readingBatch(readings: unknown[], sentAt = new Date().toISOString()): string {
  return JSON.stringify({ v: 1, sentAt, readings });
}

let counter = 0;

/** A valid blood-pressure reading for the fixture's cuff, with a unique id and time. */
export function bpReading(deviceId: string, measuredAt: Date, systolic = 130, diastolic = 80): Record<string, unknown> {
  counter++;
  return {
    id: `t-${process.pid}-${counter}-${measuredAt.getTime()}`,
    kind: 'blood_pressure',
    device: { id: deviceId },
    components: [
      { name: 'systolic', code: '8480-6', value: systolic, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: diastolic, unit: 'mm[Hg]' },
    ],
    measuredAt: measuredAt.toISOString(),
    receivedAt: measuredAt.toISOString(),
    timeSource: 'device',
  };
}
