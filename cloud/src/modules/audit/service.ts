/** The operation log as the API reads it: filtered pages of entries, and the chain check. */
import type { Connection } from '../../db/scoped.js';
import { verifyAuditChain } from '../../platform/audit/verify.js';
import { type AuditFilter, findAuditRows } from './repo.js';

export class AuditService {
  constructor(private readonly db: Connection) {}

  find(query: AuditFilter) {
    return findAuditRows(this.db, query);
  }

  verify() {
    return verifyAuditChain(this.db);
  }
}
