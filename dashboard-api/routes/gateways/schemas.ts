import { z } from 'zod';
import { InstantOut } from '../../common-schemas.js';

const DeviceOut = z.object({
  deviceId: z.string(),
  present: z.boolean().describe('Seen by the gateway recently'),
  lastSeenAt: InstantOut.optional(),
  batteryPercent: z.number().int().optional(),
  clockOffsetS: z.number().optional().describe('Device clock minus true time, seconds'),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  firmware: z.string().optional(),
});

export const GatewaysResponse = z.object({
  gateways: z.array(
    z.object({
      id: z.string(),
      state: z.enum(['online', 'offline']),
      reason: z.string().optional().describe('Why offline: shutdown, connection_lost (Last Will) or heartbeat_missed'),
      lastSeenAt: InstantOut.describe('When the hub last heard from the gateway'),
      heartbeatS: z.number().int().optional(),
      outboxDepth: z.number().int().optional().describe('Readings waiting in the gateway for an acknowledgement'),
      outboxOldestAt: InstantOut.optional(),
      bluetooth: z.string().optional(),
      software: z.string().optional(),
      devicesReportedAt: InstantOut.optional(),
      devices: z.array(DeviceOut),
      patientIds: z.array(z.string()).describe('Patients whose devices report through this gateway (those you may see)'),
    }),
  ),
});
