/**
 * A broker outage with a real gate agent process on each broker. The embedded broker goes down with the cloud's
 * MQTT runtime and comes back on the same port; the Mosquitto variant runs a private Mosquitto (never the shared
 * one) that is killed with SIGKILL and started again on the same port, with the persistence a production broker
 * keeps (sessions saved on every change). While the broker is down the gate keeps admitting: tickets from its
 * whitelist, a count card from its cache, and QR tickets sold during the outage by their signature alone. When the
 * broker is back the outbox drains: every passage reaches the cloud's passage_events exactly once, in scan order.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { issueTicket, TYPES } from '@scenic/cloud/testing';
import { generateBarcode } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { freePort } from '@scenic/testkit/free-port';
import { serviceUrl } from '@scenic/testkit/services';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateSite } from './gate-site.js';

function mosquittoInstalled(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** A Mosquitto of this suite alone, on a free port, whose sessions survive a kill -9. */
class PrivateMosquitto {
  private child: ChildProcess | undefined;
  private readonly folder = mkdtempSync(join(tmpdir(), 'scenic-e2e-mosquitto-'));

  private constructor(readonly port: number) {
    writeFileSync(
      join(this.folder, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${this.folder}/`,
        // Saved after every change (subscriptions, queued messages), so a killed broker forgets nothing it acked.
        'autosave_on_changes true',
        'autosave_interval 1',
        // Started as root, Mosquitto drops to user `mosquitto`, which could not write our 0700 folder.
        `user ${userInfo().username}`,
        '',
      ].join('\n'),
    );
  }

  static async start(): Promise<PrivateMosquitto> {
    const broker = new PrivateMosquitto(await freePort());
    await broker.resume();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until it accepts connections. */
  async resume(): Promise<void> {
    this.child = spawn('mosquitto', ['-c', join(this.folder, 'mosquitto.conf')], { stdio: 'ignore' });
    await eventually(
      () =>
        new Promise<boolean | undefined>((resolve) => {
          const probe = mqtt.connect(this.url, { reconnectPeriod: 0, connectTimeout: 500 });
          probe.once('connect', () => {
            probe.end(true);
            resolve(true);
          });
          probe.once('error', () => resolve(undefined));
          probe.once('close', () => {
            probe.end(true);
            resolve(undefined);
          });
        }),
      10_000,
    );
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.folder, { recursive: true, force: true });
  }
}

interface Variant {
  readonly name: string;
  readonly mosquitto: boolean;
}

// The Mosquitto variant runs wherever the Mosquitto suites do (TEST_MQTT_URL set), on a private broker.
const variants: Variant[] = [
  { name: 'the embedded broker', mosquitto: false },
  ...(serviceUrl('TEST_MQTT_URL') ? [{ name: 'a private Mosquitto', mosquitto: true }] : []),
];

describe.each(variants)('a broker outage at a real gate agent process, on $name', (variant) => {
  let mosquitto: PrivateMosquitto | undefined;
  let site: GateSite;

  beforeAll(async () => {
    if (variant.mosquitto) {
      if (!mosquittoInstalled())
        throw new Error('TEST_MQTT_URL is set but the mosquitto binary is not installed');
      mosquitto = await PrivateMosquitto.start();
    }
    site = await GateSite.start({
      broker: { name: variant.name, url: mosquitto?.url },
      gates: [{ name: 'O1', direction: 'in' }],
      // Back within a second of the broker, so the test does not wait out a long backoff.
      maxReconnectMs: 1_000,
    });
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
    await mosquitto?.dispose();
  }, 30_000);

  const gate = () => site.agent('O1');

  async function brokerDown(): Promise<void> {
    if (mosquitto) await mosquitto.kill();
    else await site.cloud.close();
    // The gate sees the closed socket at once; a moment for its client to notice.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  async function brokerUp(): Promise<void> {
    if (mosquitto) await mosquitto.resume();
    else await site.startCloud();
  }

  it('keeps admitting while the broker is down; afterwards every passage is stored once, in order', async () => {
    const barcodes = [generateBarcode(), generateBarcode()];
    const synced = [];
    for (const barcode of barcodes) synced.push(await issueTicket(site.db, { barcode }));
    const cardCode = generateBarcode();
    const card = await issueTicket(site.db, { barcode: cardCode, typeId: TYPES.count, entriesTotal: 5 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stored = () =>
      site.db
        .selectFrom('passage_events')
        .selectAll()
        .where('gate_id', '=', site.id('O1'))
        .where('kind', '=', 'passage')
        .execute();
    const before = (await stored()).length;

    await brokerDown();
    // Sold during the outage: no whitelist delta can reach the gate, only the QR's signature vouches for them.
    const sold = [await issueTicket(site.db), await issueTicket(site.db)];
    const qrCodes: string[] = [];
    for (const id of sold)
      qrCodes.push(
        (await site.db.selectFrom('tickets').select('qr_text').where('id', '=', id).executeTakeFirstOrThrow())
          .qr_text!,
      );
    const scans = [
      { code: barcodes[0]!, ticketId: synced[0]! },
      { code: qrCodes[0]!, ticketId: sold[0]! },
      { code: cardCode, ticketId: card },
      { code: barcodes[1]!, ticketId: synced[1]! },
      { code: qrCodes[1]!, ticketId: sold[1]! },
    ];
    for (const scan of scans) {
      expect(await gate().scanOutcome(scan.code)).toMatchObject({
        admit: true,
        reason: 'OK',
        ticketId: scan.ticketId,
        decidedOffline: true,
      });
    }
    // Still offline: a ticket used up is refused from the gate's own count of entries not yet synced.
    expect(await gate().scanOutcome(barcodes[0]!)).toMatchObject({
      admit: false,
      reason: 'ENTRIES_EXHAUSTED',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await stored()).toHaveLength(before);

    await brokerUp();
    const passages = await eventually(async () => {
      const rows = await stored();
      return rows.length >= before + scans.length ? rows : undefined;
    }, 20_000);
    // A moment more: anything sent twice would show up now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const drained = (await stored()).slice(before);
    expect(drained).toHaveLength(scans.length);
    const inScanOrder = [...drained].sort((a, b) => Number(a.at) - Number(b.at));
    expect(inScanOrder.map((p) => p.ticket_id)).toEqual(scans.map((s) => s.ticketId));
    // Delivered in the order they were recorded.
    const receivedAt = inScanOrder.map((p) => Number(p.received_at));
    expect(receivedAt).toEqual([...receivedAt].sort((a, b) => a - b));
    expect(drained.every((p) => p.decided_offline === 1)).toBe(true);
    expect(passages.length).toBe(before + scans.length);
    for (const scan of scans) {
      const row = await site.ticketRow(scan.ticketId);
      expect(row.entries_used).toBe(1);
      expect(row.status).toBe(scan.ticketId === card ? 'active' : 'used');
    }

    // Online again: the cloud's answer for the count card knows the offline entry.
    expect(await gate().scanOutcome(cardCode)).toMatchObject({
      admit: true,
      decidedOffline: false,
      entriesLeft: 3,
    });
  }, 60_000);
});
