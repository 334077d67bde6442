import { describe, expect, it } from 'vitest';
import { CONNACK, checkConnectIdentity, checkOrphanWill, checkPublish, checkSubscribe } from './auth.js';

describe('broker policy', () => {
  it.each([
    ['gw-home-1', 'home-1', { ok: true, value: 'home-1' }],
    ['gw-home-2', 'home-1', { ok: false, reason: 'client id must be gw-home-1', code: CONNACK.identifierRejected }],
    ['gw-home-1', undefined, { ok: false, reason: 'missing or malformed username', code: CONNACK.badUsernameOrPassword }],
    ['gw-Home', 'Home', { ok: false, reason: 'missing or malformed username', code: CONNACK.badUsernameOrPassword }],
  ])('client id %s with username %s', (clientId, username, verdict) => {
    expect(checkConnectIdentity(clientId, username)).toEqual(verdict);
  });

  it.each([
    ['rpm/v1/gw/home-1/readings', { ok: true, value: 'readings' }],
    ['rpm/v1/gw/home-1/status', { ok: true, value: 'status' }],
    ['rpm/v1/gw/home-1/devices', { ok: true, value: 'devices' }],
    ['rpm/v1/gw/home-1/events', { ok: true, value: 'events' }],
    ['rpm/v1/gw/home-1/commands', { ok: false, reason: 'gateways may not publish on commands' }],
    ['rpm/v1/gw/home-2/readings', { ok: false, reason: "publish to another gateway's topic" }],
    ['rpm/v1/alerts/team-a/a-1', { ok: false, reason: 'gateways may not publish alerts' }],
    ['$SYS/broker/uptime', { ok: false, reason: 'topic does not start with "rpm/": $SYS/broker/uptime' }],
  ])('home-1 publishing on %s', (topic, verdict) => {
    expect(checkPublish('home-1', topic)).toEqual(verdict);
  });

  it('lets a gateway subscribe to its own command topic only', () => {
    expect(checkSubscribe('home-1', 'rpm/v1/gw/home-1/commands').ok).toBe(true);
    for (const filter of ['rpm/v1/gw/home-2/commands', 'rpm/v1/gw/+/commands', 'rpm/v1/#', '#', 'rpm/v1/gw/home-1/readings']) {
      expect(checkSubscribe('home-1', filter)).toEqual({ ok: false, reason: 'gateways may subscribe only to their own command topic' });
    }
  });
});

describe("a dead hub's Last Will", () => {
  it('is accepted only as the status of the gateway whose client id stored it', () => {
    expect(checkOrphanWill({ topic: 'rpm/v1/gw/gw-0001/status', clientId: 'gw-gw-0001' })).toEqual({ ok: true, value: 'gw-0001' });
    expect(checkOrphanWill({ topic: 'rpm/v1/gw/gw-0001/status', clientId: 'gw-gw-0002' }).ok).toBe(false);
    expect(checkOrphanWill({ topic: 'rpm/v1/gw/gw-0001/readings', clientId: 'gw-gw-0001' }).ok).toBe(false);
    expect(checkOrphanWill({ topic: 'rpm/v1/alerts/x', clientId: 'gw-x' }).ok).toBe(false);
    expect(checkOrphanWill({ topic: 'rpm/v1/gw/gw-0001/status' }).ok).toBe(false);
  });
});
