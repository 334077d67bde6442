/**
 * Is there a Bluetooth controller at all? On Linux the kernel lists controllers in /sys/class/bluetooth
 * (hci0, ...). Checking first keeps noble from starting on a box without one: noble would print a
 * three-line warning to stdout and retry every second, forever.
 */
import { readdir } from 'node:fs/promises';

export async function bluetoothControllerPresent(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, sysClass = '/sys/class/bluetooth'): Promise<boolean> {
  if (platform !== 'linux') return true; // macOS and Windows bindings report their own state
  // An explicitly chosen HCI device or a UART/USB controller: trust the operator and let noble try.
  if (env.NOBLE_HCI_DEVICE_ID || env.BLUETOOTH_HCI_SOCKET_UART_PORT || env.BLUETOOTH_HCI_SOCKET_USB_VID || env.NOBLE_BINDINGS) return true;
  try {
    return (await readdir(sysClass)).some((name) => /^hci\d+$/.test(name));
  } catch {
    return false; // no bluetooth subsystem in this kernel
  }
}
