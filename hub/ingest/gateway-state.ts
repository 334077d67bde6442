/** The latest status and device report of each gateway, as last published. */
import type { DeviceStatusReport, GatewayStatus } from '../../contract/index.js';

export interface GatewayStateView {
  readonly status?: GatewayStatus;
  readonly statusReceivedAt?: string;
  readonly devices?: DeviceStatusReport;
}

export class GatewayStateStore {
  private readonly gateways = new Map<string, GatewayStateView>();

  setStatus(gatewayId: string, status: GatewayStatus, receivedAt: Date): void {
    this.gateways.set(gatewayId, { ...this.gateways.get(gatewayId), status, statusReceivedAt: receivedAt.toISOString() });
  }

  setDevices(gatewayId: string, devices: DeviceStatusReport): void {
    this.gateways.set(gatewayId, { ...this.gateways.get(gatewayId), devices });
  }

  get(gatewayId: string): GatewayStateView | undefined {
    return this.gateways.get(gatewayId);
  }

  all(): ReadonlyMap<string, GatewayStateView> {
    return this.gateways;
  }
}
