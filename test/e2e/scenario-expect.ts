/** Checks a scenario's expected alerts against what the engine stored and paged. */
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { Scenario } from '../../firmware-sim/physiology/scenarios/scenario.js';
import { severityRank } from '../../hub/alerts/rules/index.js';
import { WORLD, type ScenarioWorld } from './scenario-harness.js';

/** Every expected alert exists with the right audience and cause, reached its severity in time, and paged the right people. */
export async function expectScenarioAlerts(world: ScenarioWorld, scenario: Scenario): Promise<void> {
  const alerts = await world.alertsOfPatient();
  const onset = scenario.onsetAt ?? scenario.start;
  for (const e of scenario.expected) {
    const alert = alerts.find((a) => a.ruleId === e.rule);
    expect(alert, `an alert ${e.rule} (have: ${alerts.map((a) => `${a.ruleId}/${a.severity}`).join(', ')})`).toBeDefined();
    expect(alert!.audience).toBe(e.audience);
    if (e.cause) expect(alert!.cause).toBe(e.cause);
    const events = await world.alerts.store.events(alert!.id);
    const reached = events.find((ev) => severityRank(ev.severity) >= severityRank(e.minSeverity));
    expect(reached, `${e.rule} reaching ${e.minSeverity}`).toBeDefined();
    const after = reached!.at.getTime() - onset.getTime();
    expect(after, `${e.rule} reached ${e.minSeverity} ${Math.round(after / 60_000)} min after the onset (allowed ${e.withinMs / 60_000})`).toBeLessThanOrEqual(e.withinMs);
    // Paged to the right audience: nurses for clinical, technical support for technical; never the other.
    const pages = world.receivers.pages.filter((p) => p.body.alert.id === alert!.id);
    if (!alert!.muted) expect(pages.some((p) => p.tier === (e.audience === 'clinical' ? 'nurse' : 'tech'))).toBe(true);
    expect(pages.some((p) => p.tier === (e.audience === 'clinical' ? 'tech' : 'nurse'))).toBe(false);
  }
}

/** Every page is signed with the endpoint's secret over its raw body and carries its notification id. */
export function expectSignedPages(world: ScenarioWorld): void {
  for (const p of world.receivers.pages) {
    const raw = JSON.stringify(p.body);
    expect(p.headers['x-rpm-signature']).toBe(`sha256=${createHmac('sha256', WORLD.secret).update(raw).digest('hex')}`);
    expect(p.id).toBe(p.body.notificationId);
  }
}

/** At most one active alert per rule at any time: no two alerts of one rule overlap. */
export async function expectNoDuplicateAlerts(world: ScenarioWorld): Promise<void> {
  const alerts = await world.alertsOfPatient();
  const byRule = new Map<string, typeof alerts>();
  for (const a of alerts) byRule.set(`${a.subjectKey}|${a.ruleId}`, [...(byRule.get(`${a.subjectKey}|${a.ruleId}`) ?? []), a]);
  for (const [key, list] of byRule) {
    const sorted = [...list].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      expect(prev.resolvedAt, `${key}: alert ${prev.id} still active when ${sorted[i]!.id} opened`).toBeDefined();
      expect(prev.resolvedAt!.getTime()).toBeLessThanOrEqual(sorted[i]!.openedAt.getTime());
    }
  }
}
