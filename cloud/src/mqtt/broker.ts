/**
 * The embedded broker (aedes, MQTT 3.1.1), used when no MQTT_URL is configured: TCP for gates, MQTT over WebSocket
 * for browser simulators. Every connection must log in (anonymous is refused); the ACL of each identity (acl.ts) is
 * enforced on publish and subscribe. Refused publishes are reported through `onDenied` so the communication log shows
 * them; MQTT 3.1.1 cannot tell the publisher, so aedes drops its connection (a well-behaved gate never gets there).
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { aclFor, type TopicAcl } from './acl.js';
import type { GateAdmission } from './admission.js';
import { type MqttIdentity, parseGateUsername } from './identity.js';
import type { IntakeMessage } from './intake.js';
import { listenError } from './listen-errors.js';
import { limitPacketSize } from './packet-limit.js';

export interface DeniedAttempt {
  readonly identity: MqttIdentity;
  readonly action: 'publish' | 'subscribe';
  readonly topic: string;
  readonly size: number;
}

export type Authenticator = (login: {
  clientId: string;
  username: string | undefined;
  password: Buffer | undefined;
}) => Promise<MqttIdentity | undefined>;

export interface EmbeddedBrokerOptions {
  readonly host: string;
  readonly port: number;
  readonly wsPort: number | 'off';
  readonly authenticate: Authenticator;
  readonly onDenied?: (attempt: DeniedAttempt) => void;
  /**
   * Every message a gate publishes (and every gate's last will), after the ACL allowed it and before the broker
   * acknowledges it: resolving to null lets the broker PUBACK and route it, an error drops the gate's connection
   * unacknowledged (intake.ts, broker intake).
   */
  readonly intake?: (message: IntakeMessage) => Promise<Error | null>;
  /**
   * Each gate's message budget (admission.ts), checked on every message a gate publishes before the intake sees it:
   * beyond it a QoS 0 message is dropped and a QoS 1 message waits for its token (the broker reads no more of that
   * gate's socket meanwhile); a flooding gate's connection is dropped and its logins are refused while it is backed
   * off. Given with the broker intake.
   */
  readonly admission?: GateAdmission;
  readonly logger: Logger;
}

export interface EmbeddedBroker {
  /** The bound TCP port (useful when started on port 0). */
  readonly port: number;
  readonly wsPort: number | undefined;
  /** Drops every connection whose identity matches (a revoked gate); returns how many were dropped. */
  disconnect(match: (identity: MqttIdentity) => boolean): number;
  /**
   * Publishes as the broker itself, in process: routed, retained and queued for persistent sessions exactly like a
   * client's publish, resolving once the broker has taken it (where a QoS 1 client publish would get its PUBACK).
   * The cloud's messages take this way instead of a loopback socket: no encoding, socket write, parsing and ACL
   * check per message, and no wait for TCP.
   */
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** MQTT CONNACK return codes: 3 (server unavailable) for a gate cut off for flooding, 4 and 5 for logins refused. */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refusal(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

interface Session {
  readonly identity: MqttIdentity;
  readonly acl: TopicAcl;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { logger, intake, admission } = options;
  const sessions = new WeakMap<Client, Session>();
  const live = new Set<Client>();

  const aedes = await Aedes.createBroker({
    // Gate ids are up to 64 characters, so `sg-{site}-{gate}` exceeds MQTT 3.1's 23-character client id limit.
    maxClientsIdLength: 256,
    authenticate: (client, username, password, done) => {
      // A gate cut off for flooding is refused before its password costs a hash.
      const gate = admission && username !== undefined ? parseGateUsername(username) : undefined;
      if (gate && admission?.backedOffUntil(gate) !== undefined)
        return done(refusal('gate backed off for flooding', SERVER_UNAVAILABLE), false);
      options.authenticate({ clientId: client.id, username, password }).then(
        (identity) => {
          if (!identity) return done(refusal('bad credentials', BAD_USERNAME_OR_PASSWORD), false);
          sessions.set(client, { identity, acl: aclFor(identity) });
          done(null, true);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'mqtt authentication failed');
          done(refusal('authentication unavailable', NOT_AUTHORIZED), false);
        },
      );
    },
    authorizePublish: (client, packet, done) => {
      const take = (will: boolean) => {
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        intake!({ topic: packet.topic, payload, qos: packet.qos, retain: packet.retain, will }).then(
          (refused) => done(refused),
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
        );
      };
      // A null client is aedes publishing a stored will of a client that is gone; it was authorised at connect.
      if (!client) return intake ? take(true) : done(null);
      const session = sessions.get(client);
      if (session?.acl.mayPublish(packet.topic)) {
        const { identity } = session;
        if (!intake || identity.kind !== 'gate') return done(null);
        // aedes publishes a will with the client's own `will` packet, just before it forgets it.
        const will = packet === (client as { will?: unknown }).will;
        if (will || !admission) return take(will);
        const verdict = admission.take(identity, packet.qos);
        switch (verdict.verdict) {
          case 'pass':
            return take(false);
          case 'wait':
            setTimeout(() => take(false), verdict.ms);
            return;
          case 'drop':
            admission.refused(identity, packet.topic, packet.payload.length);
            // Acknowledged (QoS 0 has no acknowledgement) and routed to nobody: gate → cloud topics have no
            // subscriber with the broker intake. Never kept as a retained message.
            packet.retain = false;
            return done(null);
          default:
            admission.refused(identity, packet.topic, packet.payload.length);
            return done(new Error('gate over its message budget: cut off'));
        }
      }
      if (session) {
        options.onDenied?.({
          identity: session.identity,
          action: 'publish',
          topic: packet.topic,
          size: packet.payload.length,
        });
      }
      done(new Error(`publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const session = sessions.get(client);
      if (session?.acl.maySubscribe(subscription.topic)) return done(null, subscription);
      if (session) {
        options.onDenied?.({
          identity: session.identity,
          action: 'subscribe',
          topic: subscription.topic,
          size: 0,
        });
      }
      // null answers this filter with SUBACK 0x80 (failure) and keeps the connection.
      done(null, null);
    },
  });
  aedes.on('clientReady', (client) => {
    // When logins with one client id overlap, aedes may report a client ready after it closed it, or close one
    // without a clientDisconnect (its registry entry is already the newer one's); keyed on the connection's own
    // close as well, the set cannot keep a dead client and its socket (found by fuzzing, mqtt/fuzz.test.ts).
    if (client.closed || client.conn.destroyed) return;
    live.add(client);
    client.conn.once('close', () => live.delete(client));
  });
  aedes.on('clientDisconnect', (client) => live.delete(client));
  aedes.on('clientError', (client, error) => {
    logger.debug({ clientId: client.id, err: error }, 'mqtt client error');
  });

  let unlimitedLogged = false;
  const handle = (...args: Parameters<typeof aedes.handle>) => {
    if (!limitPacketSize(aedes.handle(...args)) && !unlimitedLogged) {
      unlimitedLogged = true;
      logger.error('mqtt packet size limit unavailable (aedes changed): packets are not bounded');
    }
  };

  const servers: (TcpServer | HttpServer)[] = [];
  const closeAll = async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await Promise.all(servers.map((server) => closeServer(server)));
  };

  try {
    // Every message here is small and waits for nobody: with Nagle's algorithm a write behind an unacknowledged one
    // waits for the peer's delayed ACK (up to 40 ms on Linux), which was most of the validation round trip's tail.
    const tcp = createTcpServer({ noDelay: true }, (socket) => handle(socket));
    servers.push(tcp);
    const port = await listen(tcp, options.host, options.port, 'MQTT_PORT', { 'zh-CN': 'MQTT ', en: 'MQTT' });
    let wsPort: number | undefined;
    if (options.wsPort !== 'off') {
      const http = createHttpServer();
      servers.push(http);
      const wss = new WebSocketServer({ server: http });
      wss.on('connection', (socket, request) => {
        handle(createWebSocketStream(socket), request);
      });
      wsPort = await listen(http, options.host, options.wsPort, 'MQTT_WS_PORT', {
        'zh-CN': 'MQTT WebSocket ',
        en: 'MQTT WebSocket',
      });
    }
    return {
      port,
      wsPort,
      disconnect: (match) => {
        let dropped = 0;
        for (const client of live) {
          const session = sessions.get(client);
          if (session && match(session.identity)) {
            client.close();
            dropped++;
          }
        }
        return dropped;
      },
      publish: (topic, payload, { qos, retain }) =>
        new Promise<void>((resolve, reject) => {
          aedes.publish({ cmd: 'publish', topic, payload, qos, retain, dup: false }, (error) =>
            // aedes calls back within the same turn of the event loop, so a caller publishing one message after
            // another (500 gate configs) would hold the loop until the last one, and every gate's request behind
            // it. Settling on the next turn lets sockets be read in between, as a publish over a socket did.
            setImmediate(() => (error ? reject(error) : resolve())),
          );
        }),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function listen(
  server: TcpServer | HttpServer,
  host: string,
  port: number,
  variable: string,
  name: { 'zh-CN': string; en: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, { name, variable, host, port })));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: TcpServer | HttpServer): Promise<void> {
  if (!server.listening) return Promise.resolve();
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
