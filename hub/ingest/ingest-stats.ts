/** Counters of what ingest saw, by outcome and refusal reason. Exposed as metrics by the hub. */
export class IngestStats {
  messages = 0;
  readingsReceived = 0;
  readingsStored = 0;
  readingsUnassigned = 0;
  readingsImplausible = 0;
  readonly refused = new Map<string, number>();

  refuse(reasonCode: string, count = 1): void {
    this.refused.set(reasonCode, (this.refused.get(reasonCode) ?? 0) + count);
  }

  refusedTotal(): number {
    let total = 0;
    for (const n of this.refused.values()) total += n;
    return total;
  }
}
