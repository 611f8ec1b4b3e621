/**
 * `npm run mqtt:export -- <dir>`: writes `passwd` and `acl` for Mosquitto into <dir> from the gate registry in
 * DATABASE_URL, with the cloud's own login from MQTT_USERNAME / MQTT_PASSWORD. Then point mosquitto.conf's
 * `password_file` and `acl_file` at them and reload Mosquitto (SIGHUP). See README.md beside this file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/database.js';
import { mosquittoFiles } from '../modules/gate-access/mosquitto-export.js';
import { GateAccessRepo } from '../modules/gate-access/repo.js';
import { readCliConfig } from './read-config.js';

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('用法 / usage: npm run mqtt:export -- <目录 / directory>\n');
    return 2;
  }
  const config = readCliConfig();
  if (!config) return 2;
  const password = config.mqtt.password;
  if (!password) {
    process.stderr.write(
      '请设置 MQTT_PASSWORD（云端连接 Mosquitto 所用的密码） / Set MQTT_PASSWORD (the password the cloud uses to log in to Mosquitto)\n',
    );
    return 2;
  }
  const database = openDatabase(config.database);
  try {
    const gates = await new GateAccessRepo(database.db).activeCredentials();
    const files = mosquittoFiles(gates, { username: config.mqtt.username, password });
    const dir = resolve(process.env.INIT_CWD ?? process.cwd(), target);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      // Write then rename, so a Mosquitto reloading at that moment never reads half a file.
      const path = join(dir, name);
      writeFileSync(`${path}.tmp`, content, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    }
    process.stdout.write(`${gates.length} gates → ${join(dir, 'passwd')}, ${join(dir, 'acl')}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
