/**
 * A simulated BLE peripheral: a GATT table of characteristics with read / write / subscribe
 * behaviour, and advertising that the simulated adapter reports to the gateway's scanner.
 */

export interface SimCharacteristic {
  read?(): Uint8Array;
  write?(value: Uint8Array): void;
  /** Enables notifications or indications; the device calls `push` to send a value. Returns the unsubscribe. */
  subscribe?(push: (value: Uint8Array) => void): () => void;
}

/** The device's side of a live connection. */
export interface SimLink {
  /** The device ends the connection (cuffs do this once they have sent their records). */
  drop(): void;
}

export interface SimPeripheral {
  readonly address: string;
  readonly localName: string;
  readonly advertisedServices: readonly string[];
  /** Health devices advertise only for a while after a measurement, or when asked to pair. */
  isAdvertising(): boolean;
  readonly gatt: ReadonlyMap<string, ReadonlyMap<string, SimCharacteristic>>;
  onConnect(link: SimLink): void;
  onDisconnect(): void;
}

export function gattTable(entries: Record<string, Record<string, SimCharacteristic>>): Map<string, Map<string, SimCharacteristic>> {
  return new Map(Object.entries(entries).map(([service, chars]) => [service, new Map(Object.entries(chars))]));
}

/** Device Information characteristics from plain strings (UTF-8) and an 8-byte System ID. */
export function deviceInformation(info: { manufacturer: string; model: string; serial: string; firmware?: string; systemId?: Uint8Array }): Record<string, SimCharacteristic> {
  const text = (s: string): SimCharacteristic => ({ read: () => new TextEncoder().encode(s) });
  return {
    '2a29': text(info.manufacturer),
    '2a24': text(info.model),
    '2a25': text(info.serial),
    ...(info.firmware !== undefined && { '2a26': text(info.firmware) }),
    ...(info.systemId && { '2a23': { read: () => info.systemId! } }),
  };
}
