/** The broker's settings in the hub configuration: TLS needs its port, certificate and key together. */
import { describe, expect, it } from 'vitest';
import { parseHubEnv } from '../config.js';

const base = { INFLUX_URL: 'http://127.0.0.1:8086' };

describe('MQTT listener configuration', () => {
  it('defaults: plain MQTT only, 1 MiB packets, 60 connects a minute per address, ops on loopback:9464', () => {
    const parsed = parseHubEnv(base);
    expect(parsed.ok && parsed.config).toMatchObject({ MQTT_MAX_PACKET_BYTES: 1048576, MQTT_CONNECT_RATE_PER_MIN: 60, METRICS_HOST: '127.0.0.1', METRICS_PORT: 9464 });
    expect(parsed.ok && parsed.config.MQTT_TLS_PORT).toBeUndefined();
  });

  it('accepts TLS with certificate and key, with or without a client CA, and WebSocket', () => {
    const parsed = parseHubEnv({ ...base, MQTT_TLS_PORT: '8883', MQTT_TLS_CERT: '/etc/rpm/cert.pem', MQTT_TLS_KEY: '/etc/rpm/key.pem', MQTT_TLS_CA: '/etc/rpm/ca.pem', MQTT_WS_PORT: '8083' });
    expect(parsed.ok && parsed.config).toMatchObject({ MQTT_TLS_PORT: 8883, MQTT_WS_PORT: 8083 });
  });

  it.each([
    [{ MQTT_TLS_PORT: '8883', MQTT_TLS_CERT: '/c.pem' }, 'MQTT_TLS_KEY: MQTT_TLS_CERT and MQTT_TLS_KEY go together'],
    [{ MQTT_TLS_PORT: '8883', MQTT_TLS_KEY: '/k.pem' }, 'MQTT_TLS_KEY: MQTT_TLS_CERT and MQTT_TLS_KEY go together'],
    [{ MQTT_TLS_PORT: '8883' }, 'MQTT_TLS_CERT: MQTT_TLS_PORT needs MQTT_TLS_CERT and MQTT_TLS_KEY'],
    [{ MQTT_TLS_CERT: '/c.pem', MQTT_TLS_KEY: '/k.pem' }, 'MQTT_TLS_PORT: set MQTT_TLS_PORT to serve MQTT over TLS'],
    [{ MQTT_WS_PORT: 'eighty' }, 'MQTT_WS_PORT:'],
    [{ MQTT_MAX_PACKET_BYTES: '10' }, 'MQTT_MAX_PACKET_BYTES:'],
  ])('refuses %o, naming the variable', (env, message) => {
    const parsed = parseHubEnv({ ...base, ...env });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});
