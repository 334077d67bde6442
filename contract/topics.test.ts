import { describe, expect, it } from 'vitest';
import { parseTopic, topics } from './topics.js';

describe('topics', () => {
  it('builds versioned gateway topics', () => {
    expect(topics.readings('home-0001')).toBe('rpm/v1/gw/home-0001/readings');
    expect(topics.status('home-0001')).toBe('rpm/v1/gw/home-0001/status');
    expect(topics.devices('home-0001')).toBe('rpm/v1/gw/home-0001/devices');
    expect(topics.events('home-0001')).toBe('rpm/v1/gw/home-0001/events');
    expect(topics.commands('home-0001')).toBe('rpm/v1/gw/home-0001/commands');
    expect(topics.alert('team-north', 'a-1')).toBe('rpm/v1/alerts/team-north/a-1');
    expect(topics.allGateways('readings')).toBe('rpm/v1/gw/+/readings');
  });

  it.each(['', 'Home', 'a/b', 'a+b', 'a#', `x${'y'.repeat(64)}`])('refuses the id %j, which would break the topic tree', (id) => {
    expect(() => topics.readings(id)).toThrow(/not a valid topic id/);
  });

  it('parses what it builds', () => {
    expect(parseTopic('rpm/v1/gw/home-0001/readings')).toEqual({ ok: true, type: 'gateway', gatewayId: 'home-0001', channel: 'readings' });
    expect(parseTopic('rpm/v1/alerts/team-north/a-1')).toEqual({ ok: true, type: 'alert', careTeamId: 'team-north', alertId: 'a-1' });
  });

  it.each([
    ['other/v1/gw/a/readings', /does not start with "rpm\/"/],
    ['rpm/v2/gw/a/readings', /unsupported topic version "v2"/],
    ['rpm/v1/gw/a/unknown', /unknown gateway channel "unknown"/],
    ['rpm/v1/gw/a/readings/extra', /exactly 5 levels/],
    ['rpm/v1/gw/A/readings', /invalid gateway id/],
    ['rpm/v1/xx/a/readings', /unknown topic family "xx"/],
  ])('refuses %s with a reason', (topic, reason) => {
    const parsed = parseTopic(topic);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
