import type { DeviceDirectory } from '../registry/registry.js';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.js';
import type { ReadingSink } from '../storage/reading-sink.js';
import type { Logger } from '../log.js';
import type { RoomSessionLookup } from '../rooms/room-session-index.js';
import type { GatewayStateStore } from './gateway-state.js';
import type { IngestStats } from './ingest-stats.js';

/** What every message handler may use. Handlers resolve only once their effects are durable. */
export interface IngestContext {
  readonly devices: DeviceDirectory;
  readonly sink: ReadingSink;
  readonly deadLetters: DeadLetterStore;
  readonly gatewayState: GatewayStateStore;
  readonly stats: IngestStats;
  readonly log: Logger;
  readonly now: () => Date;
  /** Community rooms and their check-in sessions (hub/rooms); absent: no gateway is a room. */
  readonly rooms?: RoomSessionLookup;
}

export interface IncomingMessage {
  readonly gatewayId: string;
  readonly topic: string;
  readonly payload: Buffer;
}
