/**
 * Refuses MQTT packets larger than a limit. Aedes 1.2 parses with mqtt-packet 9, which takes no size
 * limit (a Remaining Length may announce 256 MB and the parser buffers until it arrives), so we read
 * each packet's fixed header as the bytes go past and close the connection at the first oversized
 * one, before its body is buffered. MQTT 3.1.1 has no "packet too large" reply (5.0 has DISCONNECT
 * 0x95); closing is what [MQTT-4.8.0-1] prescribes for a protocol violation.
 */
import type { Duplex } from 'node:stream';

/** MQTT 3.1.1 §2.2.3: Remaining Length takes at most four bytes of 7 bits each. */
const MAX_LENGTH_BYTES = 4;

/** Follows packet boundaries across chunks by their fixed headers alone; pure apart from its own state. */
export class MqttPacketSizeScanner {
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private multiplier = 1;
  private remaining = 0;

  constructor(readonly maxPacketBytes: number) {}

  /**
   * Feeds the next bytes of the stream. Returns the total size of the first packet that exceeds the
   * limit (or Infinity for a malformed Remaining Length), undefined when all is well.
   */
  scan(chunk: Uint8Array): number | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'type') {
        i++; // §2.2: byte 1 is the packet type and flags
        this.phase = 'length';
        this.length = 0;
        this.lengthBytes = 0;
        this.multiplier = 1;
      } else if (this.phase === 'length') {
        const byte = chunk[i++]!;
        this.length += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (byte & 0x80) {
          if (this.lengthBytes >= MAX_LENGTH_BYTES) return Number.POSITIVE_INFINITY;
          continue;
        }
        const total = 1 + this.lengthBytes + this.length;
        if (total > this.maxPacketBytes) return total;
        this.remaining = this.length;
        this.phase = this.remaining === 0 ? 'type' : 'body';
      } else {
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.phase = 'type';
      }
    }
    return undefined;
  }
}

/**
 * Watches what Aedes reads from `stream` and destroys the stream at the first oversized packet.
 * Aedes reads its connections only through `stream.read()` (lib/client.js, on 'readable'), so
 * wrapping that one method sees every byte without adding a stream to the hot path.
 */
export function guardPacketSize(stream: Duplex, maxPacketBytes: number, onTooLarge: (size: number) => void): void {
  const scanner = new MqttPacketSizeScanner(maxPacketBytes);
  const read = stream.read.bind(stream);
  stream.read = (size?: number): unknown => {
    const chunk = read(size) as unknown;
    if (chunk === null || stream.destroyed || !(chunk instanceof Uint8Array)) return chunk;
    const over = scanner.scan(chunk);
    if (over === undefined) return chunk;
    onTooLarge(over);
    stream.destroy();
    return null;
  };
}
