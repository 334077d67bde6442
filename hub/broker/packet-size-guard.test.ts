import { describe, expect, it } from 'vitest';
import { MqttPacketSizeScanner } from './packet-size-guard.js';

/** MQTT 3.1.1 §2.2.3 Remaining Length: 7 bits a byte, least significant first, 0x80 = more follow. */
function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** A QoS 1 PUBLISH (§3.3): 0x32, Remaining Length, topic (u16 length + UTF-8), packet id, payload. */
function publish(payloadBytes: number): Buffer {
  const topic = Buffer.from('rpm/v1/gw/home-0001/readings');
  const variable = Buffer.concat([Buffer.from([topic.length >> 8, topic.length & 0xff]), topic, Buffer.from([0x00, 0x07])]);
  const body = Buffer.concat([variable, Buffer.alloc(payloadBytes, 0x61)]);
  return Buffer.concat([Buffer.from([0x32, ...remainingLength(body.length)]), body]);
}

const PINGREQ = Buffer.from([0xc0, 0x00]);

describe('MqttPacketSizeScanner', () => {
  it('passes packets up to the limit, however the stream is chunked', () => {
    const packets = [publish(10), publish(300), publish(20_000), PINGREQ];
    const stream = Buffer.concat(packets);
    const limit = Math.max(...packets.map((p) => p.length));
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, stream.length]) {
      const scanner = new MqttPacketSizeScanner(limit);
      for (let i = 0; i < stream.length; i += chunkSize) expect(scanner.scan(stream.subarray(i, i + chunkSize))).toBeUndefined();
    }
  });

  it('reports the first packet over the limit from its fixed header alone', () => {
    const small = publish(10);
    const big = publish(2000);
    const scanner = new MqttPacketSizeScanner(1024);
    expect(scanner.scan(small)).toBeUndefined();
    // Only the first 3 bytes of the big packet (type + two length bytes) are needed.
    expect(scanner.scan(big.subarray(0, 3))).toBe(big.length);
  });

  it('reports a Remaining Length longer than four bytes as malformed (MQTT 3.1.1 §2.2.3)', () => {
    const scanner = new MqttPacketSizeScanner(1024);
    expect(scanner.scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff]))).toBe(Number.POSITIVE_INFINITY);
  });

  it('handles the largest encodable length (268,435,455) without overflow', () => {
    const scanner = new MqttPacketSizeScanner(1024 * 1024);
    expect(scanner.scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toBe(1 + 4 + 268_435_455);
  });
});
