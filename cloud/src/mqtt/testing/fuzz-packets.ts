/**
 * Hostile MQTT packets written straight to a broker's socket, below any client library: garbage, malformed fixed
 * headers, bad remaining lengths, bogus packet types, broken CONNECTs, and — after a CONNECT that logs in with a
 * gate's real credentials — malformed or refused PUBLISH, SUBSCRIBE and other packets (oversized and wildcard
 * topics, QoS 3, packet id 0), declared lengths past the broker's bound with the bytes behind them, byte-damaged
 * packets, and publishes outside the gate's ACL carrying a VALID message of another gate (which must store nothing).
 * Each case is one connection: the bytes to write, as separate frames.
 */
import { encodeMessage, gateTopic, siteTopic } from '@scenic/protocol';
import { gateClientId, gateUsername } from '../identity.js';
import { MAX_INBOUND_PACKET_BYTES } from '../packet-limit.js';
import { damage, GATE_TO_CLOUD, type Prng, validGateMessages } from './fuzz-payloads.js';

export interface GateLogin {
  readonly siteId: string;
  readonly gateId: string;
  /** undefined: the broker lets anyone in (a shared test broker), so the CONNECT carries no login. */
  readonly password: string | undefined;
}

export interface RawCase {
  readonly kind: string;
  /** Each buffer is one frame, written in order. */
  readonly frames: Buffer[];
}

/** MQTT variable-length "remaining length" (1–4 bytes). */
export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function str(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length & 0xffff);
  return Buffer.concat([length, bytes]);
}

function packet(firstByte: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);
}

interface ConnectFields {
  clientId: string | Buffer;
  username?: string | Buffer;
  password?: string | Buffer;
  will?: { topic: string | Buffer; payload: Buffer; qos: number; retain: boolean };
  clean?: boolean;
  protocolName?: string;
  level?: number;
  keepAlive?: number;
  /** Raw flag bits to OR in (the reserved bit 0, a password without a user name…). */
  extraFlags?: number;
}

export function connectPacket(f: ConnectFields): Buffer {
  let flags = f.extraFlags ?? 0;
  if (f.clean ?? true) flags |= 0x02;
  if (f.will) flags |= 0x04 | ((f.will.qos & 3) << 3) | (f.will.retain ? 0x20 : 0);
  if (f.password !== undefined) flags |= 0x40;
  if (f.username !== undefined) flags |= 0x80;
  const keepAlive = Buffer.alloc(2);
  keepAlive.writeUInt16BE(f.keepAlive ?? 30);
  const body = Buffer.concat([
    str(f.protocolName ?? 'MQTT'),
    Buffer.from([f.level ?? 4, flags]),
    keepAlive,
    str(f.clientId),
    ...(f.will ? [str(f.will.topic), str(f.will.payload)] : []),
    ...(f.username !== undefined ? [str(f.username)] : []),
    ...(f.password !== undefined ? [str(f.password)] : []),
  ]);
  return packet(0x10, body);
}

export function publishPacket(
  topic: string | Buffer,
  payload: Buffer,
  options: { qos?: number; retain?: boolean; id?: number; dup?: boolean } = {},
): Buffer {
  const qos = options.qos ?? 0;
  const first = 0x30 | (options.dup ? 0x08 : 0) | ((qos & 3) << 1) | (options.retain ? 1 : 0);
  const id = Buffer.alloc(2);
  id.writeUInt16BE(options.id ?? 1);
  return packet(first, Buffer.concat([str(topic), ...(qos > 0 ? [id] : []), payload]));
}

function subscribePacket(
  filters: { topic: string | Buffer; qos: number }[],
  id = 1,
  firstByte = 0x82,
): Buffer {
  const packetId = Buffer.alloc(2);
  packetId.writeUInt16BE(id);
  return packet(
    firstByte,
    Buffer.concat([packetId, ...filters.flatMap((f) => [str(f.topic), Buffer.from([f.qos])])]),
  );
}

function loginFields(login: GateLogin, password = login.password): ConnectFields {
  return {
    clientId: gateClientId(login.siteId, login.gateId),
    ...(password !== undefined && { username: gateUsername(login.siteId, login.gateId), password }),
  };
}

/**
 * Raw cases against a broker. `login` is a gate of the site used only for raw connections (the broker drops the
 * previous session of a client id, so it must not be a gate the test keeps connected); `victimGateId` is a gate
 * whose topics `login` must not publish to.
 */
export function rawCaseFactory(rnd: Prng, login: GateLogin, victimGateId: string) {
  const { siteId, gateId } = login;
  const victim = validGateMessages(victimGateId);
  const stateTopic = gateTopic(siteId, gateId, 'state');
  const ownTopics = GATE_TO_CLOUD.map((c) => gateTopic(siteId, gateId, c));
  const victimTopics = GATE_TO_CLOUD.map((c) => gateTopic(siteId, victimGateId, c));
  const login4 = () => connectPacket(loginFields(login));
  /** A payload the decoder refuses on every channel, and stays refused after byte damage (no `type` at all). */
  const badPayload = () => Buffer.from(`{"v":1,"gateId":${JSON.stringify(gateId)},"n":${rnd.int(1e6)}}`);
  const validVictim = () => {
    const channel = rnd.pick(GATE_TO_CLOUD);
    return {
      topic: gateTopic(siteId, victimGateId, channel),
      payload: encodeMessage(victim[channel], channel),
    };
  };

  const cases: (() => RawCase)[] = [
    () => ({ kind: 'garbage', frames: [rnd.bytes(1 + rnd.int(2_000))] }),
    () => ({
      kind: 'bogus-type-first',
      // Packet type 0 and 15 are reserved in 3.1.1; anything but CONNECT first is a protocol violation.
      frames: [packet(rnd.pick([0x00, 0xf0, 0x30, 0x82, 0xc0, 0xe0, 0x20, 0x40]), rnd.bytes(rnd.int(40)))],
    }),
    () => ({
      kind: 'bad-remaining-length',
      // Five continuation bytes (longer than the four MQTT allows), or a huge length with little behind it.
      frames: [
        Buffer.concat([
          Buffer.from([rnd.pick([0x10, 0x30, 0x82])]),
          rnd.pick([
            Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]),
            Buffer.from([0xff, 0xff, 0xff, 0x7f]),
            Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            remainingLength(1 + rnd.int(268_435_454)),
          ]),
          rnd.bytes(rnd.int(64)),
        ]),
      ],
    }),
    () => ({
      kind: 'flood',
      // A length past anything a gate sends, with bytes behind it, logged in or not: refused at the fixed header
      // (packet-limit.ts) instead of buffered.
      frames: [
        ...(rnd.int(2) === 0 ? [login4()] : []),
        Buffer.concat([
          Buffer.from([rnd.pick([0x10, 0x30, 0x32, 0x82])]),
          remainingLength(MAX_INBOUND_PACKET_BYTES + 1 + rnd.int(200_000_000)),
          Buffer.alloc(128 * 1024, 0x61),
        ]),
      ],
    }),
    () => ({
      kind: 'length-mismatch',
      // A CONNECT whose remaining length says more (or less) than the bytes that follow.
      frames: [
        (() => {
          const good = login4();
          const copy = Buffer.from(good);
          copy[1] = Math.max(0, Math.min(127, good[1]! + rnd.pick([-5, -1, 1, 7, 60])));
          return copy;
        })(),
      ],
    }),
    () => ({
      kind: 'bad-connect',
      frames: [
        rnd.pick([
          connectPacket({
            ...loginFields(login),
            protocolName: rnd.pick(['MQTs', 'MQIsdp', '', 'M\u0000TT']),
          }),
          connectPacket({ ...loginFields(login), level: rnd.pick([0, 2, 6, 255]) }),
          connectPacket({ ...loginFields(login), extraFlags: 0x01 }),
          connectPacket({ clientId: gateClientId(siteId, gateId), password: login.password ?? 'x' }),
          connectPacket({ ...loginFields(login), clientId: 'c'.repeat(1_000 + rnd.int(60_000)) }),
          connectPacket({ ...loginFields(login), clientId: rnd.bytes(1 + rnd.int(40)) }),
          connectPacket({ ...loginFields(login), username: rnd.bytes(1 + rnd.int(40)) }),
          connectPacket({ ...loginFields(login), clean: false, clientId: '' }),
          connectPacket({
            ...loginFields(login),
            will: { topic: stateTopic, payload: badPayload(), qos: 3, retain: true },
          }),
        ]),
      ],
    }),
    () => ({
      kind: 'unauthorised-publish',
      // Wrong password, no login, or another gate's client id; then a valid message that must go nowhere.
      frames: [
        rnd.pick([
          connectPacket(loginFields(login, `${login.password ?? ''}wrong`)),
          connectPacket({ clientId: gateClientId(siteId, gateId) }),
          connectPacket({ ...loginFields(login), clientId: gateClientId(siteId, victimGateId) }),
        ]),
        (() => {
          const { topic, payload } = validVictim();
          return publishPacket(topic, payload, { qos: 1, id: 7 });
        })(),
      ],
    }),
    () => ({
      kind: 'acl-denied-publish',
      // Logged in as this gate, publishing another gate's valid message on that gate's topic, or a site topic.
      frames: [
        login4(),
        (() => {
          const { topic, payload } = validVictim();
          const target = rnd.pick([
            topic,
            siteTopic(siteId, 'site/cmd'),
            siteTopic(siteId, 'site/whitelist'),
            gateTopic(siteId, gateId, 'cmd'),
            gateTopic(siteId, gateId, 'config'),
          ]);
          return publishPacket(target, payload, { qos: rnd.int(2), id: 9 });
        })(),
      ],
    }),
    () => ({
      kind: 'bad-publish',
      frames: [
        login4(),
        rnd.pick([
          // Oversized topic: up to the 65,535 bytes a length prefix allows.
          publishPacket(`${stateTopic}/${'t'.repeat(1_000 + rnd.int(64_000))}`, badPayload()),
          publishPacket(rnd.pick(['sg/v1/+/gate/#', '#', '+', `${stateTopic}/#`]), badPayload()),
          publishPacket(`${stateTopic}\u0000x`, badPayload()),
          publishPacket(Buffer.from([0xc3, 0x28, 0xff, 0xfe]), badPayload()),
          publishPacket('', badPayload()),
          publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 3 }),
          publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 1, id: 0 }),
          publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 2, id: 3 }),
          publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 1, id: 4, dup: true, retain: true }),
          // The topic length claims more than the packet holds.
          (() => {
            const p = publishPacket(rnd.pick(ownTopics), badPayload());
            let at = 1;
            while (p[at]! & 0x80) at++;
            p.writeUInt16BE(0xfff0, at + 1);
            return p;
          })(),
        ]),
      ],
    }),
    () => ({
      kind: 'bad-control-packet',
      frames: [
        login4(),
        rnd.pick([
          subscribePacket([]),
          subscribePacket([{ topic: rnd.pick(victimTopics), qos: 3 }]),
          subscribePacket([{ topic: '#', qos: 1 }], 0),
          subscribePacket([{ topic: stateTopic, qos: 1 }], 5, 0x80),
          packet(0xa2, Buffer.from([0, 1])),
          packet(0xc0, rnd.bytes(1 + rnd.int(8))),
          packet(0xe0, rnd.bytes(1 + rnd.int(8))),
          login4(),
          packet(0x40, Buffer.from([0, 0])),
          packet(0x62, Buffer.from([0, 1])),
          packet(0xf0, rnd.bytes(rnd.int(20))),
        ]),
      ],
    }),
    () => ({
      kind: 'damaged-session',
      // A well-formed session with its bytes damaged: any byte may now be a header, a length or a flag.
      frames: [
        damage(
          rnd,
          Buffer.concat([
            login4(),
            publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 1, id: 1 + rnd.int(60_000) }),
            subscribePacket([{ topic: gateTopic(siteId, gateId, 'cmd'), qos: 1 }]),
          ]),
        ),
      ],
    }),
    () => ({
      kind: 'valid-then-garbage',
      frames: [
        login4(),
        publishPacket(rnd.pick(ownTopics), badPayload(), { qos: 1, id: 2 }),
        rnd.bytes(1 + rnd.int(300)),
      ],
    }),
  ];

  return (): RawCase => rnd.pick(cases)();
}
