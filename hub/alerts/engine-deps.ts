/** What the engine's parts share: its dependencies, and the write path for settled changes. */
import type { PatientDirectory, PatientSummary } from '../registry/registry.js';
import type { Logger } from '../log.js';
import type { AlertConfigStore, EngineStateStore } from './config-store.js';
import type { Settled } from './escalation.js';
import type { GatewayStatusSource } from './home-status.js';
import { notificationDrafts } from './messages.js';
import type { PatientReadingsSource } from './patient-readings.js';
import type { QuestionnaireAnswersSource } from '../questionnaires/answered-source.js';
import type { PatientRulesStore } from './patient-rules.js';
import { EMPTY_ROUTING, parseTeamRoutingConfig, type TeamRoutingConfig } from './routing-config.js';
import type { AlertStore, AlertWrite } from './store.js';

/** The registry's patients (the SQL registry and dashboard-api's PatientStore satisfy it). */
export interface AlertPatients extends PatientDirectory {
  listPatients(careTeamIds: readonly string[] | 'all'): Promise<PatientSummary[]>;
}

export interface EngineDeps {
  readonly store: AlertStore;
  readonly config: AlertConfigStore;
  /** Each patient's rule configuration (the registry's column, or the engine's own table). */
  readonly rules: PatientRulesStore;
  readonly state: EngineStateStore;
  readonly patients: AlertPatients;
  readonly readings: PatientReadingsSource;
  /** Questionnaire answers (SQL); absent: no questionnaire rules, and a questionnaire schedule always reads as unanswered. */
  readonly questionnaires?: QuestionnaireAnswersSource;
  readonly gateways: GatewayStatusSource;
  readonly log: Logger;
  readonly now: () => Date;
  readonly newAlertId: () => string;
  readonly newNotificationId: () => string;
  readonly dashboardUrl?: string;
  /** Broadcast channels this hub runs: every visible alert change is sent to each. */
  readonly broadcast: readonly ('mqtt' | 'sse')[];
  /** New notifications are in the outbox: wake the worker. */
  readonly onNotifications: () => void;
  /** Set by the engine when it starts (engine clock). */
  readonly session?: { startedAt?: Date };
}

/** The team's routing; a stored config that no longer parses pages nobody, loudly. */
export async function routingFor(deps: EngineDeps, careTeamId: string): Promise<TeamRoutingConfig> {
  const stored = await deps.config.teamRouting(careTeamId);
  if (!stored) return EMPTY_ROUTING;
  const parsed = parseTeamRoutingConfig(stored.config);
  if (parsed.ok) return parsed.value;
  deps.log.error({ careTeam: careTeamId, reason: parsed.reason }, 'alert routing of this care team is invalid: nobody is paged until it is fixed');
  return EMPTY_ROUTING;
}

/** A lazily loaded routing config per team for one unit of work. */
export function routingCache(deps: EngineDeps): (careTeamId: string) => Promise<TeamRoutingConfig> {
  const cache = new Map<string, Promise<TeamRoutingConfig>>();
  return (careTeamId) => {
    let config = cache.get(careTeamId);
    if (!config) {
      config = routingFor(deps, careTeamId);
      cache.set(careTeamId, config);
    }
    return config;
  };
}

/** The write for a settled change: the alert (naming the version it was read at), events and outbox rows. */
export function toWrite(deps: EngineDeps, s: Settled, version: number | undefined, now: Date): AlertWrite {
  const notifications = notificationDrafts(s, { now, newId: deps.newNotificationId, broadcast: deps.broadcast, ...(deps.dashboardUrl ? { dashboardUrl: deps.dashboardUrl } : {}) });
  return { alert: version === undefined ? s.alert : { ...s.alert, version }, events: s.events, notifications };
}

/** Serialises work per key (a subject), so one hub never races itself on one alert. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.tails.size;
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
