/**
 * A registry held in memory and loaded from a seed document. It serves the demo and tests of other
 * parts; deployments use the SQL registry. Secrets in the seed are stored hashed, as in SQL.
 */
import { z } from 'zod';
import { resolveAssignment, type AssignmentPeriod } from './resolve-assignment.js';
import { hashToken, verifySecret } from './secrets.js';
import type { DeviceDirectory, GatewayDirectory, PatientDirectory, PatientSummary, Principal, TokenDirectory } from './registry.js';

const Instant = z.iso.datetime({ offset: true });

export const RegistrySeed = z.object({
  gateways: z.array(z.object({ id: z.string(), secretHash: z.string(), revoked: z.boolean().default(false) })).default([]),
  patients: z.array(z.object({ id: z.string(), careTeamId: z.string(), displayName: z.string() })).default([]),
  assignments: z
    .array(
      z.object({
        deviceId: z.string(),
        userIndex: z.number().int().min(0).max(255).optional(),
        patientId: z.string(),
        from: Instant,
        to: Instant.optional(),
      }),
    )
    .default([]),
  tokens: z
    .array(
      z.object({
        tokenHash: z.string(),
        userId: z.string(),
        role: z.enum(['admin', 'clinician', 'carer']),
        careTeamIds: z.array(z.string()),
        expiresAt: Instant.optional(),
      }),
    )
    .default([]),
});
export type RegistrySeed = z.input<typeof RegistrySeed>;

const NO_PERIODS: readonly AssignmentPeriod[] = [];

export class MemoryRegistry implements GatewayDirectory, DeviceDirectory, PatientDirectory, TokenDirectory {
  private readonly seed: z.output<typeof RegistrySeed>;

  /** Assignment periods per device, parsed once. */
  private readonly periods = new Map<string, AssignmentPeriod[]>();

  constructor(seed: RegistrySeed) {
    this.seed = RegistrySeed.parse(seed);
    for (const a of this.seed.assignments) {
      const list = this.periods.get(a.deviceId) ?? [];
      list.push({ userIndex: a.userIndex ?? null, patientId: a.patientId, validFrom: Date.parse(a.from), validTo: a.to === undefined ? null : Date.parse(a.to) });
      this.periods.set(a.deviceId, list);
    }
  }

  async verifyGatewaySecret(gatewayId: string, secret: string): Promise<boolean> {
    const gateway = this.seed.gateways.find((g) => g.id === gatewayId && !g.revoked);
    return gateway ? verifySecret(secret, gateway.secretHash) : false;
  }

  /** The same rule as the SQL registry (resolve-assignment.ts): a user index's own assignment beats a device-wide one. */
  resolvePatient(deviceId: string, userIndex: number | undefined, at: Date): Promise<string | undefined> {
    return Promise.resolve(resolveAssignment(this.knownAssignments(deviceId), userIndex, at.getTime()));
  }

  knownAssignments(deviceId: string): readonly AssignmentPeriod[] {
    return this.periods.get(deviceId) ?? NO_PERIODS;
  }

  getPatient(patientId: string): Promise<PatientSummary | undefined> {
    return Promise.resolve(this.seed.patients.find((p) => p.id === patientId));
  }

  verifyToken(token: string): Promise<Principal | undefined> {
    const hash = hashToken(token);
    const entry = this.seed.tokens.find((t) => t.tokenHash === hash);
    if (!entry || (entry.expiresAt && Date.parse(entry.expiresAt) <= Date.now())) return Promise.resolve(undefined);
    return Promise.resolve({ userId: entry.userId, role: entry.role, careTeamIds: entry.careTeamIds, ...(entry.expiresAt && { expiresAt: new Date(entry.expiresAt).toISOString() }) });
  }
}
