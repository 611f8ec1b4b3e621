/**
 * EMERGENCY.md, "Database lost": the cloud's database is restored from the last backup while real gate agents keep
 * running, then every gate gets a full whitelist sync (the runbook's step). Afterwards the gates agree with the
 * restored database: a ticket issued before the backup is admitted, one issued after it (lost with the database) is
 * refused, and a ticket sold after the restore is admitted from the whitelist.
 *
 * Why the sync step: a gate that kept its broker session (Mosquitto stays up while the cloud is restored) holds a
 * whitelist version newer than the restored feed, so it takes the new sales' deltas for ones it already has and
 * ignores them until it is told to sync. A gate on the embedded broker reconnects when the cloud comes back and
 * asks by itself; the sync does no harm there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyTarget, issueTicket, openDatabase, restoreBackup, takeBackup } from '@scenic/cloud/testing';
import { generateBarcode } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, GateSite } from './gate-site.js';

describe.each(brokers())('a database restored under running gates, on $name', (broker) => {
  let site: GateSite;
  let dir: string;
  let lost: GateSite['test'] | undefined;

  beforeAll(async () => {
    site = await GateSite.start({ broker, gates: [{ name: 'B1', direction: 'in' }], maxReconnectMs: 1_000 });
    dir = await mkdtemp(join(tmpdir(), 'scenic-e2e-backups-'));
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
    await lost?.dispose();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const gate = () => site.agent('B1');
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  it('after the restore and a full sync the gate admits what the restored cloud knows, and new sales', async () => {
    const before = generateBarcode();
    await issueTicket(site.db, { barcode: before });
    const { file } = await takeBackup({
      database: site.test.config,
      dir,
      timeZone: 'Asia/Shanghai',
      secretFingerprint: null,
    });
    // Sold after the last backup: the gate has it, the restored database will not.
    const after = generateBarcode();
    await issueTicket(site.db, { barcode: after });
    await settle();

    // The database is lost: the cloud stops, the backup goes into a new, empty database, the cloud starts on it.
    const down = gate().lines.length;
    await site.cloud.close();
    const target = await emptyTarget('sqlite');
    await restoreBackup({
      file,
      database: target.config,
      replace: false,
      secretFingerprint: null,
      ignoreSecret: false,
      timeZone: 'Asia/Shanghai',
    });
    lost = site.test;
    const database = openDatabase(target.config);
    site.test = {
      url: `sqlite:${(target.config as { path: string }).path}`,
      config: target.config,
      database,
      dispose: async () => {
        await database.close();
        await target.dispose();
      },
    };
    await site.startCloud();

    if (!broker.url) {
      // The embedded broker went down with the cloud: the gate reconnects and asks for a snapshot by itself, since
      // its version is ahead of the restored feed. The control room waits for the gates to show online (runbook).
      await gate().waitFor((line) => line.msg === 'connected to broker', 20_000, down);
      await gate().waitFor((line) => line.msg === 'whitelist snapshot applied', 15_000, down);
    } else {
      // Still connected to Mosquitto, the gate never noticed: a sale now is news it ignores.
      const unseen = generateBarcode();
      await issueTicket(site.db, { barcode: unseen });
      await settle();
      expect(await gate().scanOutcome(unseen)).toMatchObject({ admit: false });
    }

    // The runbook's step: every gate gets a full whitelist sync.
    const from = gate().lines.length;
    const sync = await site.command({ kind: 'sync', full: true }, { kind: 'all' });
    expect(sync.results.map((r) => r.result)).toEqual(['ok']);
    await gate().waitFor((line) => line.msg === 'whitelist snapshot applied', 15_000, from);

    const sold = generateBarcode();
    await issueTicket(site.db, { barcode: sold });
    expect(
      await eventually(async () => {
        const outcome = await gate().scanOutcome(sold);
        return outcome.admit ? outcome : undefined;
      }, 10_000),
    ).toMatchObject({ admit: true, reason: 'OK' });
    expect(await gate().scanOutcome(before)).toMatchObject({ admit: true, reason: 'OK' });
    expect(await gate().scanOutcome(after)).toMatchObject({ admit: false });
  }, 90_000);
});
