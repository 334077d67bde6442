/** Reads Device Information (0x180A) to give readings a stable device identity. */
import type { DeviceRef } from '../../contract/index.js';
import { hasCharacteristic, type GattConnection } from '../ble/adapter.js';
import { CHARACTERISTIC, SERVICE } from '../ble/gatt-uuids.js';

const PRINTABLE = /[^\x20-\x7e]/g;

function text(bytes: Uint8Array): string {
  // UTF-8 strings per GATT, but devices pad with NULs and spaces; ids must stay printable.
  return Buffer.from(bytes).toString('utf8').replace(PRINTABLE, '').trim();
}

async function readOptional(conn: GattConnection, characteristic: string): Promise<Uint8Array | undefined> {
  if (!hasCharacteristic(conn, SERVICE.deviceInformation, characteristic)) return undefined;
  try {
    return await conn.read(SERVICE.deviceInformation, characteristic);
  } catch {
    return undefined; // an unreadable optional field must not cost the measurements
  }
}

/** Makes an identifier safe for the contract: [A-Za-z0-9_.:-], at most 128 characters. */
export function sanitiseId(value: string): string {
  return value.replace(/[^A-Za-z0-9_.:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
}

/**
 * Device identity: the System ID (EUI-64, 0x2A23) when present, else the serial number, else the
 * BLE address. Manufacturer and model are kept as metadata.
 */
export async function readDeviceInfo(conn: GattConnection): Promise<DeviceRef> {
  const [systemId, serial, manufacturer, model, firmware] = await Promise.all([
    readOptional(conn, CHARACTERISTIC.systemId),
    readOptional(conn, CHARACTERISTIC.serialNumber),
    readOptional(conn, CHARACTERISTIC.manufacturerName),
    readOptional(conn, CHARACTERISTIC.modelNumber),
    readOptional(conn, CHARACTERISTIC.firmwareRevision),
  ]);
  const serialText = serial ? text(serial) : '';
  let id: string;
  if (systemId && systemId.length === 8 && systemId.some((b) => b !== 0)) {
    // System ID is little-endian on the wire; print it most significant byte first like an EUI-64.
    id = `eui64-${Buffer.from(systemId).reverse().toString('hex')}`;
  } else if (serialText && sanitiseId(serialText)) {
    id = `sn-${sanitiseId(serialText)}`;
  } else {
    id = `mac-${conn.address.replace(/:/g, '')}`;
  }
  return {
    id: id.slice(0, 128),
    address: conn.address,
    ...(manufacturer && text(manufacturer) && { manufacturer: text(manufacturer).slice(0, 128) }),
    ...(model && text(model) && { model: text(model).slice(0, 128) }),
    ...(serialText && { serial: serialText.slice(0, 128) }),
    ...(firmware && text(firmware) && { firmware: text(firmware).slice(0, 64) }),
  };
}
