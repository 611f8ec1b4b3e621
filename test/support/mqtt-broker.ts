/**
 * MQTT for tests that need a broker of their own: an in-process aedes broker on a local port (the gate agent's link
 * and process tests, the gate simulator's tests), and a client that records what arrives under a topic filter, as
 * the cloud's side of the conversation.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/** An in-process aedes broker on a local port. stop() and start() again on the same port. */
export class TestBroker {
  aedes: Aedes | null = null;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;
  /** Client ids whose connections are closed at once (as if the broker were still unreachable for them). */
  readonly blocked = new Set<string>();
  /** Client ids whose logins are answered with this CONNACK return code (e.g. 3, server unavailable). */
  readonly refused = new Map<string, number>();

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const aedes = await Aedes.createBroker({
      // client.id is only set after preConnect; the CONNECT packet carries it.
      preConnect: (client, packet, done) => {
        const allowed = !this.blocked.has(packet.clientId);
        done(null, allowed);
        // Refused: drop the socket, as an unreachable broker would, instead of leaving it without a CONNACK.
        if (!allowed) (client as unknown as { conn: Socket }).conn.destroy();
      },
      authenticate: (client, _username, _password, done) => {
        const returnCode = this.refused.get(client.id);
        if (returnCode === undefined) return done(null, true);
        done(Object.assign(new Error('refused'), { returnCode }) as Parameters<typeof done>[0], false);
      },
    });
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      aedes.handle(socket);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.aedes = aedes;
    this.#server = server;
  }

  /** Drops the connection of one client abruptly (no DISCONNECT), so the broker publishes its will. */
  dropClient(clientId: string): void {
    const client = (this.aedes as unknown as { clients: Record<string, { conn: Socket }> }).clients[clientId];
    client?.conn.destroy();
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes!.close(() => resolve()));
    this.aedes = null;
  }
}

export interface Received {
  readonly topic: string;
  readonly json: { type: string; [key: string]: unknown };
  readonly retain: boolean;
}

/** A cloud-side client that records everything under a filter. */
export async function cloudClient(
  url: string,
  filter: string,
): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await mqtt.connectAsync(url, {
    clientId: `cloud-${Math.random().toString(36).slice(2)}`,
    reconnectPeriod: 100,
  });
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    if (payload.length === 0) return;
    try {
      received.push({ topic, json: JSON.parse(payload.toString('utf8')), retain: packet.retain });
    } catch {
      // The tests' own garbage, echoed back by the broker.
    }
  });
  client.on('connect', () => client.subscribe(filter, { qos: 1 }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, received };
}
