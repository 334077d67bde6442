import { describe, it, expect } from 'vitest';
import type { AlertMessage } from '../../contract/index.js';
import { channelContract, testItem, type ChannelHarness } from './channel-contract.js';
import { sseChannel, type AlertMessageSink } from './sse-channel.js';

/** The bus dashboard-api's SSE route listens on, as far as the channel sees it; it can fail. */
class Bus implements AlertMessageSink {
  readonly got: AlertMessage[] = [];
  broken = false;
  publish(message: AlertMessage): void {
    if (this.broken) throw new Error('event bus closed');
    this.got.push(message);
  }
}

channelContract('sse', async (): Promise<ChannelHarness> => {
  const bus = new Bus();
  return {
    channel: sseChannel(bus),
    target: { careTeamId: 'team-north' },
    received: () => Promise.resolve(bus.got.map((alert) => ({ alert }))),
    breakReceiver: () => {
      bus.broken = true;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
});

describe('sse channel', () => {
  it('hands the AlertMessage itself to the bus', async () => {
    const bus = new Bus();
    const item = testItem('sse', { careTeamId: 'team-north' });
    await sseChannel(bus).send(item);
    expect(bus.got).toEqual([item.payload.alert]);
  });
});
