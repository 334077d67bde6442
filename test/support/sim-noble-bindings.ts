/**
 * Fake noble bindings: the event interface noble's HCI bindings give its `Noble` class
 * (node_modules/@stoprocent/noble/lib/noble.js: 'stateChange', 'scanStart', 'discover', 'connect',
 * 'servicesDiscover', 'characteristicsDiscover', 'read', 'write', 'notify', 'disconnect'), served by
 * firmware-sim peripherals. A real `Noble` built over them runs the gateway's noble-facing code without
 * a radio. Fault injection: the initial adapter state, a stalled scan, refused connections.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Noble } from '@stoprocent/noble';
import type { SimCharacteristic, SimPeripheral } from '../../firmware-sim/gatt/sim-peripheral.js';

const require = createRequire(import.meta.url);

export class SimNobleBindings extends EventEmitter {
  readonly startCalls: string[][] = [];
  scanStarts = 0;
  stops = 0;
  scanning = false;
  /** A stalled scan: scanning on paper, but no advertisement reaches the host (BlueZ after days). */
  stalled = false;
  refuseConnections = false;
  private readonly byId = new Map<string, SimPeripheral>();
  private readonly unsubscribes = new Map<string, () => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    peripherals: readonly SimPeripheral[],
    private readonly initialState: string = 'poweredOn',
    private readonly advertiseEveryMs = 20,
  ) {
    super();
    for (const p of peripherals) this.byId.set(this.addressToId(p.address), p);
  }

  /** A Noble instance over these bindings, as noble's own `withBindings` would build one. */
  noble(): Noble {
    const NobleClass = require('@stoprocent/noble/lib/noble.js') as new (bindings: unknown) => Noble;
    return new NobleClass(this);
  }

  addressToId(address: string): string {
    return address.replace(/:/g, '').toLowerCase();
  }

  setState(state: string): void {
    this.emit('stateChange', state);
  }

  start(): void {
    setImmediate(() => this.emit('stateChange', this.initialState));
  }

  stop(): void {
    this.stops++;
    clearInterval(this.timer);
    this.scanning = false;
  }

  startScanning(serviceUuids: string[] | undefined): void {
    this.scanStarts++;
    this.startCalls.push(serviceUuids ?? []);
    this.scanning = true;
    this.stalled = false; // restarting the scan is what cures a stall
    clearInterval(this.timer);
    this.timer = setInterval(() => this.advertise(), this.advertiseEveryMs);
    setImmediate(() => this.emit('scanStart', false));
  }

  stopScanning(): void {
    this.scanning = false;
    clearInterval(this.timer);
    setImmediate(() => this.emit('scanStop'));
  }

  private advertise(): void {
    if (!this.scanning || this.stalled) return;
    for (const [id, p] of this.byId) {
      if (!p.isAdvertising()) continue;
      this.emit('discover', id, p.address, 'public', true, { localName: p.localName, serviceUuids: [...p.advertisedServices] }, -58, true);
    }
  }

  connect(id: string): void {
    const p = this.byId.get(id);
    setImmediate(() => {
      if (!p || this.refuseConnections) {
        this.emit('connect', id, new Error('connection refused (simulated)'));
        return;
      }
      p.onConnect({ drop: () => setImmediate(() => this.dropped(id)) });
      this.emit('connect', id, undefined);
    });
  }

  cancelConnect(): void {}

  private dropped(id: string): void {
    for (const [key, unsub] of this.unsubscribes) {
      if (key.startsWith(`${id}/`)) {
        unsub();
        this.unsubscribes.delete(key);
      }
    }
    this.byId.get(id)?.onDisconnect();
    this.emit('disconnect', id, 0x13);
  }

  disconnect(id: string): void {
    setImmediate(() => this.dropped(id));
  }

  discoverServices(id: string): void {
    const p = this.byId.get(id);
    setImmediate(() => this.emit('servicesDiscover', id, [...(p?.gatt.keys() ?? [])]));
  }

  discoverCharacteristics(id: string, service: string): void {
    const chars = this.byId.get(id)?.gatt.get(service) ?? new Map<string, SimCharacteristic>();
    const list = [...chars].map(([uuid, c]) => ({
      uuid,
      properties: [...(c.read ? ['read'] : []), ...(c.write ? ['write'] : []), ...(c.subscribe ? ['indicate'] : [])],
    }));
    setImmediate(() => this.emit('characteristicsDiscover', id, service, list));
  }

  private char(id: string, service: string, characteristic: string) {
    return this.byId.get(id)?.gatt.get(service)?.get(characteristic);
  }

  read(id: string, service: string, characteristic: string): void {
    setImmediate(() => {
      const c = this.char(id, service, characteristic);
      if (!c?.read) this.emit('read', id, service, characteristic, Buffer.alloc(0), false, new Error('read not permitted'));
      else this.emit('read', id, service, characteristic, Buffer.from(c.read()), false);
    });
  }

  write(id: string, service: string, characteristic: string, data: Buffer): void {
    setImmediate(() => {
      try {
        const c = this.char(id, service, characteristic);
        if (!c?.write) throw new Error('write not permitted');
        c.write(new Uint8Array(data));
        this.emit('write', id, service, characteristic);
      } catch (err) {
        this.emit('write', id, service, characteristic, err);
      }
    });
  }

  notify(id: string, service: string, characteristic: string, on: boolean): void {
    setImmediate(() => {
      const key = `${id}/${service}/${characteristic}`;
      this.unsubscribes.get(key)?.();
      this.unsubscribes.delete(key);
      const c = this.char(id, service, characteristic);
      if (on && c?.subscribe) {
        this.unsubscribes.set(key, c.subscribe((value) => setImmediate(() => this.emit('read', id, service, characteristic, Buffer.from(value), true))));
      }
      this.emit('notify', id, service, characteristic, on);
    });
  }
}
