/** The AlertReader until the alert engine exists: no open alerts and no NEWS2 for anyone. */
import type { AlertReader, PatientRisk } from '../services.js';

export const noAlerts: AlertReader = {
  async riskOf(): Promise<Map<string, PatientRisk>> {
    return new Map();
  },
};
