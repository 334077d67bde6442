/**
 * What the dashboard API may do with alerts, as one narrow interface over the alert service: list
 * and read alerts and their history, act on them (through the engine, so actions and evaluations of
 * one subject never race), and read and change the care team's configuration. Configuration is
 * validated here, with errors that name the field, before it is stored.
 */
import type { AlertService } from './alert-service.js';
import type { AlertAction } from './engine-actions.js';
import type { PatientRiskView } from './engine.js';
import type { AlertEventRecord, AlertRecord } from './model.js';
import { parsePatientRuleConfig } from './rules/index.js';
import { parseTeamRoutingConfig } from './routing-config.js';
import type { StoredConfig } from './config-store.js';
import { effectiveRules, type EffectiveRules } from './effective-rules.js';
import type { AlertFilter } from './store.js';
import type { AlertQuality } from './quality/alert-quality.js';

export type { AlertAction } from './engine-actions.js';
export type { EffectiveRules, EffectiveThreshold } from './effective-rules.js';
export { AlertNotFoundError } from './engine-actions.js';
export { LifecycleError } from './lifecycle.js';

export type ConfigResult = { readonly ok: true; readonly stored: StoredConfig } | { readonly ok: false; readonly reason: string };

export interface AlertManagement {
  list(filter: AlertFilter): Promise<AlertRecord[]>;
  get(alertId: string): Promise<AlertRecord | undefined>;
  history(alertId: string): Promise<AlertEventRecord[]>;
  /** `check` runs on the current alert before the change (access control); it may throw. */
  act(alertId: string, actor: string, action: AlertAction, check?: (alert: AlertRecord) => void): Promise<AlertRecord>;
  patientRules(patientId: string): Promise<StoredConfig | undefined>;
  setPatientRules(patientId: string, config: unknown, actor: string): Promise<ConfigResult>;
  /** Thresholds, passive intervals and zone as the engine applies them (defaults and groups merged). */
  effectiveRules(patientId: string): Promise<EffectiveRules>;
  teamRouting(careTeamId: string): Promise<StoredConfig | undefined>;
  setTeamRouting(careTeamId: string, config: unknown, actor: string): Promise<ConfigResult>;
  riskOf(patientIds: readonly string[]): Promise<Map<string, PatientRiskView>>;
  /** Analytics and back-tests (hub/alerts/quality/). */
  readonly quality: AlertQuality;
}

/** The API's view of a running alert service. Configuration times are wall-clock. */
export function alertManagement(service: AlertService, now: () => Date = () => new Date()): AlertManagement {
  const strip = <T extends AlertRecord & { version?: number }>(a: T): AlertRecord => {
    const { version: _version, ...alert } = a;
    return alert;
  };
  return {
    async list(filter) {
      return (await service.store.list(filter)).map(strip);
    },
    async get(alertId) {
      const a = await service.store.get(alertId);
      return a && strip(a);
    },
    history: (alertId) => service.store.events(alertId),
    async act(alertId, actor, action, check) {
      return strip(await service.engine.act(alertId, actor, action, check));
    },
    patientRules: (patientId) => service.rules.rulesOf(patientId),
    async setPatientRules(patientId, config, actor) {
      const parsed = parsePatientRuleConfig(config);
      if (!parsed.ok) return parsed;
      const at = now();
      await service.rules.setRules(patientId, config, actor, at);
      // Evaluate at once with the new rules rather than at the next timer round.
      service.engine.onStored([patientId]);
      return { ok: true, stored: { config, updatedAt: at, updatedBy: actor } };
    },
    async effectiveRules(patientId) {
      return effectiveRules(patientId, (await service.rules.rulesOf(patientId))?.config);
    },
    teamRouting: (careTeamId) => service.config.teamRouting(careTeamId),
    async setTeamRouting(careTeamId, config, actor) {
      const parsed = parseTeamRoutingConfig(config);
      if (!parsed.ok) return parsed;
      const at = now();
      await service.config.setTeamRouting(careTeamId, config, actor, at);
      return { ok: true, stored: { config, updatedAt: at, updatedBy: actor } };
    },
    riskOf: (patientIds) => service.engine.riskOf(patientIds),
    quality: service.quality,
  };
}
