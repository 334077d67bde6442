/**
 * What an administrator can do to the registry. Inputs are zod schemas, checked by the registry
 * itself (they may arrive over the admin socket from another process), and every value in and out
 * is JSON (instants as ISO 8601 strings), so the same interface works in-process and remotely.
 * Secrets and tokens are returned exactly once, by the call that creates them.
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { z } from 'zod';
import { Identifier, TOPIC_ID_PATTERN, type PartError, type PartErrorCode } from '../../contract/index.js';
import { CONDITION_GROUPS } from '../alerts/rules/types.js';

/** Patient, user and site ids; '_' first is reserved (the `_unassigned` patient tag in InfluxDB). */
export const LocalId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit');
/** Gateway and care team ids appear in MQTT topics (contract/topics.ts). */
export const TopicId = z.string().regex(TOPIC_ID_PATTERN, 'expected 1-64 characters of a-z 0-9 _ -, starting with a letter or digit');
export const DeviceId = Identifier;
export const Instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant such as 2026-01-31T08:00:00Z' });
export const UserIndex = z.number().int().min(0).max(255);
export const DisplayName = z.string().trim().min(1, 'must not be empty').max(200);
export const RoleName = z.enum(['admin', 'clinician', 'carer'], { error: 'expected admin, clinician or carer' });
export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Europe/Copenhagen' },
);

export const CreateGatewayInput = z.object({ id: TopicId, siteId: LocalId.optional() });
export const CreateCareTeamInput = z.object({ id: TopicId, displayName: DisplayName });
export const CreatePatientInput = z.object({
  id: LocalId,
  careTeamId: TopicId,
  displayName: DisplayName,
  conditionGroups: z.array(z.enum(CONDITION_GROUPS, { error: `expected one of ${CONDITION_GROUPS.join(', ')}` })).default([]),
  hypercapnic: z.boolean().default(false),
  timeZone: TimeZone.default('Europe/Copenhagen'),
});
export const AssignDeviceInput = z
  .object({
    deviceId: DeviceId,
    patientId: LocalId,
    userIndex: UserIndex.optional(),
    /** Default: now. */
    from: Instant.optional(),
    to: Instant.optional(),
    kind: z.string().max(64).optional(),
    model: z.string().max(128).optional(),
  })
  .refine((a) => !a.from || !a.to || Date.parse(a.to) > Date.parse(a.from), { message: 'must be after from', path: ['to'] });
export const UnassignDeviceInput = z.object({ deviceId: DeviceId, userIndex: UserIndex.optional(), at: Instant.optional() });
export const CreateUserInput = z.object({
  id: LocalId,
  displayName: DisplayName,
  role: RoleName,
  careTeamIds: z.array(TopicId).default([]),
});
export const CreateTokenInput = z.object({
  userId: LocalId,
  /** Every token expires; at most ten years. */
  expiresInSeconds: z.number().int().min(60).max(3650 * 86400),
});

export type CreateGatewayInput = z.input<typeof CreateGatewayInput>;
export type CreateCareTeamInput = z.input<typeof CreateCareTeamInput>;
export type CreatePatientInput = z.input<typeof CreatePatientInput>;
export type AssignDeviceInput = z.input<typeof AssignDeviceInput>;
export type UnassignDeviceInput = z.input<typeof UnassignDeviceInput>;
export type CreateUserInput = z.input<typeof CreateUserInput>;
export type CreateTokenInput = z.input<typeof CreateTokenInput>;

export interface GatewayRecord {
  readonly id: string;
  readonly siteId: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}
export interface CareTeamRecord {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: string;
}
export interface PatientRecord {
  readonly id: string;
  readonly careTeamId: string;
  readonly displayName: string;
  readonly conditionGroups: readonly string[];
  readonly hypercapnic: boolean;
  readonly timeZone: string;
  /** The care team's rule configuration (PatientRuleConfig input); conditionGroups etc. mirror it. */
  readonly rules: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}
export interface AssignmentRecord {
  readonly deviceId: string;
  readonly userIndex: number | null;
  readonly patientId: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}
export interface UserRecord {
  readonly id: string;
  readonly displayName: string;
  readonly role: z.infer<typeof RoleName>;
  readonly careTeamIds: readonly string[];
  readonly createdAt: string;
}
export interface TokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface RegistryAdmin {
  /** The secret is in the result and nowhere else: it is stored only as a scrypt hash. */
  createGateway(input: CreateGatewayInput): Promise<GatewayRecord & { readonly secret: string }>;
  /** A new secret for an existing gateway; the old one stops working at once. */
  rotateGatewaySecret(gatewayId: string): Promise<GatewayRecord & { readonly secret: string }>;
  revokeGateway(gatewayId: string): Promise<GatewayRecord>;
  listGateways(): Promise<GatewayRecord[]>;
  createCareTeam(input: CreateCareTeamInput): Promise<CareTeamRecord>;
  listCareTeams(): Promise<CareTeamRecord[]>;
  createPatient(input: CreatePatientInput): Promise<PatientRecord>;
  listPatients(filter?: { careTeamId?: string }): Promise<PatientRecord[]>;
  /** From `from` (default now) on; closes the open assignment of the same device and user index at `from`. */
  assignDevice(input: AssignDeviceInput): Promise<AssignmentRecord>;
  /** Ends the open assignment of the device (and user index) at `at` (default now). */
  unassignDevice(input: UnassignDeviceInput): Promise<AssignmentRecord>;
  listAssignments(filter?: { deviceId?: string; patientId?: string }): Promise<AssignmentRecord[]>;
  createUser(input: CreateUserInput): Promise<UserRecord>;
  addUserToTeam(input: { userId: string; careTeamId: string }): Promise<UserRecord>;
  listUsers(): Promise<UserRecord[]>;
  /** The token is in the result and nowhere else: it is stored only as a SHA-256 hash. */
  createToken(input: CreateTokenInput): Promise<TokenRecord & { readonly token: string }>;
  revokeToken(tokenId: string): Promise<TokenRecord>;
  listTokens(filter?: { userId?: string }): Promise<TokenRecord[]>;
  /**
   * Appends access-log entries for reads made outside the API (the admin CLI): every read of
   * patient data is on record whatever the door. Atomic, like AuditStore.append.
   */
  recordAccess(entries: readonly AuditEntry[]): Promise<void>;
}

/** The methods that may be called over the admin socket: exactly those of RegistryAdmin. */
export const REGISTRY_ADMIN_METHODS = [
  'createGateway',
  'rotateGatewaySecret',
  'revokeGateway',
  'listGateways',
  'createCareTeam',
  'listCareTeams',
  'createPatient',
  'listPatients',
  'assignDevice',
  'unassignDevice',
  'listAssignments',
  'createUser',
  'addUserToTeam',
  'listUsers',
  'createToken',
  'revokeToken',
  'listTokens',
  'recordAccess',
] as const satisfies readonly (keyof RegistryAdmin)[];

export type RegistryErrorCode = 'invalid' | 'not_found' | 'duplicate' | 'conflict';

/** An error an administrator caused and can fix; its message names the field or the record. */
export class RegistryError extends Error implements PartError {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  /**
   * How the API maps it (contract/part-errors.ts): duplicates and conflicts are 409; the rest, an
   * unknown referenced record included (the input named it), 400.
   */
  get partError(): PartErrorCode {
    return this.code === 'duplicate' || this.code === 'conflict' ? 'conflict' : 'invalid_input';
  }
}

/** Parses admin input or throws a RegistryError naming each offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  throw new RegistryError('invalid', detail);
}

/** Parses one argument, naming it in the error (e.g. `gatewayId: expected …`). */
export function parseField<S extends z.ZodType>(field: string, schema: S, value: unknown): z.output<S> {
  return parseInput(z.object({ [field]: schema }), { [field]: value })[field] as z.output<S>;
}
