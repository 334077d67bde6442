import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { startInfluxd } from './influxd.js';

describe('managed influxd', () => {
  it('fails with the install command when influxd is missing — never a silent skip', async () => {
    const dir = await tempDir('influxd-missing');
    try {
      await expect(startInfluxd({ dataDir: dir.path, binary: '/nonexistent/influxd' })).rejects.toThrow(
        /influxd not found \(\/nonexistent\/influxd\)\. Install it: sudo apt-get install -y influxdb .* or set INFLUX_URL/,
      );
    } finally {
      await dir.remove();
    }
  });

  it('starts a private server on a free loopback port and stops it', async () => {
    const dir = await tempDir('influxd-own');
    try {
      const influxd = await startInfluxd({ dataDir: dir.path });
      expect(influxd.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${influxd.url}/ping`)).status).toBe(204);
      await influxd.stop();
      await expect(fetch(`${influxd.url}/ping`)).rejects.toThrow();
    } finally {
      await dir.remove();
    }
  });
});
