import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { bluetoothControllerPresent } from './adapter-presence.js';

describe('bluetoothControllerPresent', async () => {
  const dir = await tempDir('sysclass');
  afterAll(() => dir.remove());

  it('finds an hci controller listed by the kernel', async () => {
    const sys = join(dir.path, 'with');
    await mkdir(join(sys, 'hci0'), { recursive: true });
    expect(await bluetoothControllerPresent({}, 'linux', sys)).toBe(true);
  });

  it('reports none when the directory is empty or missing', async () => {
    const empty = join(dir.path, 'empty');
    await mkdir(empty);
    expect(await bluetoothControllerPresent({}, 'linux', empty)).toBe(false);
    expect(await bluetoothControllerPresent({}, 'linux', join(dir.path, 'missing'))).toBe(false);
  });

  it('trusts an explicitly configured HCI device and other platforms', async () => {
    expect(await bluetoothControllerPresent({ NOBLE_HCI_DEVICE_ID: '1' }, 'linux', join(dir.path, 'missing'))).toBe(true);
    expect(await bluetoothControllerPresent({}, 'darwin', join(dir.path, 'missing'))).toBe(true);
  });
});
