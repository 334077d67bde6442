/** What every page reads: the translator, locale, the signed-in user, open alerts and names. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { Alert, Role } from './api/types.js';
import type { Language } from './i18n/index.js';
import type { AlertMap } from './lib/alert-list.js';
import type { LiveStatus } from './lib/live.js';
import type { Session } from './lib/session.js';

export interface AppContext {
  readonly t: TFunction;
  readonly language: Language;
  readonly locale: string;
  readonly session: Session;
  readonly role: Role;
  readonly alerts: AlertMap;
  readonly liveStatus: LiveStatus;
  /** Counts alert changes that arrived live (not re-syncs): pages that sort by risk reload on it. */
  readonly liveChanges: number;
  /** Display names by patient id, for alerts (which carry ids only). */
  readonly patientNames: ReadonlyMap<string, string>;
  readonly rememberPatientNames: (names: ReadonlyMap<string, string>) => void;
  readonly refreshAlerts: () => Promise<void>;
  readonly updateAlert: (alert: Alert) => void;
  readonly announce: (message: string, urgent: boolean) => void;
}

export const Ctx = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useApp outside the signed-in application');
  return ctx;
}

/** Care work (acknowledge, resolve, snooze, change rules) is for clinicians and admins; carers read and comment. */
export function mayActOnAlerts(role: Role): boolean {
  return role === 'admin' || role === 'clinician';
}
