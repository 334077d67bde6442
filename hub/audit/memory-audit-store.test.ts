import { auditStoreContract } from './audit-store-contract.js';
import { MemoryAuditStore } from './memory-audit-store.js';

auditStoreContract('memory', async () => ({ store: new MemoryAuditStore(), close: async () => {} }));
