/**
 * The radio seen from the gateway: scan, connect, GATT read / write / subscribe. Two implementations:
 * noble-adapter.ts (the only file that imports noble) and firmware-sim's simulated adapter. Everything
 * above this interface is tested through the simulated one.
 *
 * UUIDs are lowercase 16-bit hex strings ('1810', '2a35') for SIG-assigned attributes; addresses are
 * lowercase colon-separated ('a4:c1:38:00:11:22').
 */

export type AdapterState = 'poweredOn' | 'poweredOff' | 'unsupported' | 'unauthorized' | 'resetting' | 'unknown' | 'simulated';

export interface Advertisement {
  readonly address: string;
  readonly localName?: string;
  /** Service UUIDs the device advertises. */
  readonly serviceUuids: readonly string[];
  readonly rssi: number;
}

export interface GattConnection {
  readonly address: string;
  /** Characteristics by service, as discovered on connect. */
  readonly services: ReadonlyMap<string, readonly string[]>;
  read(service: string, characteristic: string): Promise<Uint8Array>;
  write(service: string, characteristic: string, value: Uint8Array, withResponse: boolean): Promise<void>;
  /** Enables notifications or indications (whichever the characteristic supports). */
  subscribe(service: string, characteristic: string, onValue: (value: Uint8Array) => void): Promise<void>;
  disconnect(): Promise<void>;
  /** Called once when the link drops, whoever dropped it. */
  onDisconnect(listener: () => void): void;
  readonly connected: boolean;
}

export interface BleAdapter {
  readonly kind: 'noble' | 'simulated';
  state(): AdapterState;
  onStateChange(listener: (state: AdapterState) => void): void;
  /** Starts (or restarts) scanning for devices advertising any of the services. Duplicates are reported. */
  startScanning(serviceUuids: readonly string[], onAdvertisement: (ad: Advertisement) => void): Promise<void>;
  stopScanning(): Promise<void>;
  /** Connects and discovers all services and characteristics. */
  connect(address: string, timeoutMs: number): Promise<GattConnection>;
  /** Releases the radio; the process must be able to exit afterwards. */
  close(): Promise<void>;
}

export function hasCharacteristic(conn: GattConnection, service: string, characteristic: string): boolean {
  return conn.services.get(service)?.includes(characteristic) ?? false;
}

/** Normalises '0x2A35', '2A35', '00002a35-0000-1000-8000-00805f9b34fb' and '00002a3500001000800000805f9b34fb' to '2a35'. */
export function shortUuid(uuid: string): string | undefined {
  const u = uuid.trim().toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{4}$/.test(u)) return u;
  const full = u.replace(/-/g, '');
  if (/^0000[0-9a-f]{4}00001000800000805f9b34fb$/.test(full)) return full.slice(4, 8);
  return undefined;
}
