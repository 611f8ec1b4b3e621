/**
 * Anchors for the operation log's hash chain, kept outside the database. The chain alone catches an edited or
 * deleted row, but not someone with write access to the database who rewrites a row, recomputes every later hash
 * and the head, or deletes the newest rows and winds the head back. So the cloud writes the chain head (seq and
 * hash) every few minutes to an append-only file and to its log; `npm run admin -- verify-audit --anchors <file>`
 * then also checks that every anchored row still has its anchored hash and that the chain still reaches it.
 *
 * One JSON object per line: {"seq":123,"hash":"<64 hex>","at":<epoch ms>}. Keep a copy where the database's
 * administrators cannot write (shipped logs, another host): an anchor file next to the database only helps against
 * someone who can change the database but not the file system.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Connection } from '../../db/scoped.js';
import { auditTables } from './tables.js';

export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: number;
}

export class AnchorFileError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const HASH = /^[0-9a-f]{64}$/;

/** Parses an anchor file's text; a line that is not an anchor is an error naming the line (blank lines are skipped). */
export function parseAnchors(text: string): AuditAnchor[] {
  const anchors: AuditAnchor[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AnchorFileError(index + 1, 'not JSON');
    }
    const { seq, hash, at } = (value ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(seq) || (seq as number) < 0)
      throw new AnchorFileError(index + 1, 'seq must be a whole number ≥ 0');
    if (typeof hash !== 'string' || !HASH.test(hash))
      throw new AnchorFileError(index + 1, 'hash must be 64 lower-case hex digits');
    if (!Number.isSafeInteger(at)) throw new AnchorFileError(index + 1, 'at must be epoch milliseconds');
    anchors.push({ seq: seq as number, hash, at: at as number });
  }
  return anchors;
}

export function anchorLine(anchor: AuditAnchor): string {
  return `${JSON.stringify({ seq: anchor.seq, hash: anchor.hash, at: anchor.at })}\n`;
}

export interface AnchorLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/**
 * Appends the chain head to `path` (and logs it) whenever it moved since the last anchor, every `intervalMs`, and
 * once more on stop. A failed write is logged and retried at the next round; it never stops the cloud.
 */
export class AuditAnchorWriter {
  #timer: NodeJS.Timeout | undefined;
  #lastSeq: number | undefined;
  #round: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Connection,
    private readonly path: string,
    private readonly intervalMs: number,
    private readonly logger: AnchorLogger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.anchor(), this.intervalMs);
    this.#timer.unref();
    void this.anchor();
  }

  /** Writes an anchor if the head moved; resolves when written (or the failure logged). */
  anchor(): Promise<void> {
    this.#round = this.#round.then(() => this.#write());
    return this.#round;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.anchor();
  }

  async #write(): Promise<void> {
    try {
      const head = await auditTables(this.db)
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      if (!head || head.seq === 0 || head.seq === this.#lastSeq) return;
      const anchor = { seq: head.seq, hash: head.hash, at: this.now() };
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, anchorLine(anchor), { flush: true });
      this.#lastSeq = head.seq;
      this.logger.info({ auditAnchor: anchor }, 'audit chain anchored');
    } catch (error) {
      this.logger.warn({ err: error, path: this.path }, 'cannot write the audit anchor; will try again');
    }
  }
}
