/** Who may see which alerts, and where the alert routes find the engine. */
import type { AlertManagement } from '../../../hub/alerts/alert-api.js';
import type { Principal } from '../../../hub/registry/registry.js';
import { ApiError } from '../../errors.js';
import type { ApiServices } from '../../services.js';

declare module '../../services.js' {
  interface ApiServices {
    /** The alert engine's API (hub/alerts/alert-api.ts); without it the alert routes answer 503. */
    readonly alertManagement?: AlertManagement;
  }
}

export type AlertRouteServices = Pick<ApiServices, 'patients' | 'audit' | 'alertManagement'>;

export function alertsOf(services: AlertRouteServices): AlertManagement {
  if (!services.alertManagement) throw new ApiError('RPM_ERR_STORAGE_UNAVAILABLE', 'the alert engine is not running on this hub');
  return services.alertManagement;
}

/** Alerts belong to a care team: its members see them, admins see all. */
export function canSeeTeam(principal: Principal, careTeamId: string): boolean {
  return principal.role === 'admin' || principal.careTeamIds.includes(careTeamId);
}
