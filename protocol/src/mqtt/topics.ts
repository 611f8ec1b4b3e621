/**
 * The topic tree. Everything lives under `sg/v1/{siteId}/`: per gate under `gate/{gateId}/…`, shared by the site's
 * gates under `site/…`. A broker ACL can therefore confine a gate to `sg/v1/{siteId}/gate/{gateId}/#` plus read-only
 * `sg/v1/{siteId}/site/#`; `gateAcl` gives the exact per-topic lists.
 */
import { ProtocolError } from '../errors.js';
import { idStringSchema } from '../model.js';
import {
  CHANNELS,
  type Channel,
  GATE_CHANNELS,
  type GateChannel,
  isGateChannel,
  SITE_CHANNELS,
  type SiteChannel,
} from './channels.js';

export const TOPIC_ROOT = 'sg';
export const TOPIC_VERSION = 1;
const VERSION_SEGMENT = `v${TOPIC_VERSION}`;
/** Longest topic we build (two 64-character ids plus fixed parts fit easily); longer input is refused unread. */
const MAX_TOPIC_LENGTH = 256;

export type ParsedTopic =
  | { version: typeof TOPIC_VERSION; siteId: string; gateId: string; channel: GateChannel }
  | { version: typeof TOPIC_VERSION; siteId: string; gateId?: undefined; channel: SiteChannel };

const gateChannelSet: ReadonlySet<string> = new Set(GATE_CHANNELS);
const siteChannelSet: ReadonlySet<string> = new Set(SITE_CHANNELS);

function badTopic(topic: unknown, reason: string): ProtocolError {
  const shown = typeof topic === 'string' ? topic.slice(0, 120) : typeof topic;
  return new ProtocolError('BAD_TOPIC', `bad topic: ${reason}`, { topic: shown, reason });
}

function isId(value: unknown): value is string {
  return idStringSchema.safeParse(value).success;
}

function checkIds(siteId: unknown, gateId?: unknown): void {
  if (!isId(siteId)) throw badTopic(siteId, 'invalid siteId');
  if (gateId !== undefined && !isId(gateId)) throw badTopic(gateId, 'invalid gateId');
}

/** `sg/v1/{siteId}/gate/{gateId}/{channel}`; throws BAD_TOPIC for ids that could not be parsed back. */
export function gateTopic(siteId: string, gateId: string, channel: GateChannel): string {
  checkIds(siteId, gateId);
  if (!gateChannelSet.has(channel)) throw badTopic(channel, 'unknown gate channel');
  return `${TOPIC_ROOT}/${VERSION_SEGMENT}/${siteId}/gate/${gateId}/${channel}`;
}

/** `sg/v1/{siteId}/{channel}` for the site-wide channels (`site/whitelist`, `site/cmd`). */
export function siteTopic(siteId: string, channel: SiteChannel): string {
  checkIds(siteId);
  if (!siteChannelSet.has(channel)) throw badTopic(channel, 'unknown site channel');
  return `${TOPIC_ROOT}/${VERSION_SEGMENT}/${siteId}/${channel}`;
}

/** Splits a received topic into version, site, gate and channel; anything outside the tree is BAD_TOPIC. */
export function parseTopic(topic: string): ParsedTopic {
  if (typeof topic !== 'string') throw badTopic(topic, 'not a string');
  if (topic.length > MAX_TOPIC_LENGTH) throw badTopic(topic, 'too long');
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT) throw badTopic(topic, `not under ${TOPIC_ROOT}/`);
  if (parts[1] !== VERSION_SEGMENT) throw badTopic(topic, 'unsupported protocol version');
  const siteId = parts[2];
  if (!isId(siteId)) throw badTopic(topic, 'invalid siteId');
  if (parts[3] === 'gate') {
    const gateId = parts[4];
    if (!isId(gateId)) throw badTopic(topic, 'invalid gateId');
    const channel = parts.slice(5).join('/');
    if (!gateChannelSet.has(channel)) throw badTopic(topic, 'unknown gate channel');
    return { version: TOPIC_VERSION, siteId, gateId, channel: channel as GateChannel };
  }
  const channel = parts.slice(3).join('/');
  if (!siteChannelSet.has(channel)) throw badTopic(topic, 'unknown channel');
  return { version: TOPIC_VERSION, siteId, channel: channel as SiteChannel };
}

export interface Subscription {
  filter: string;
  qos: 0 | 1;
}

/**
 * What the cloud subscribes to: every gate → cloud channel of all sites (or of one site). With `shareGroup`, the
 * work channels (events, acks, requests, heartbeats) become `$share/{group}/…` so N cloud instances split them;
 * retained `state` stays a plain subscription so every instance learns availability on connect.
 */
export function cloudSubscriptions(options: { siteId?: string; shareGroup?: string } = {}): Subscription[] {
  const { siteId, shareGroup } = options;
  if (siteId !== undefined) checkIds(siteId);
  if (shareGroup !== undefined && !isId(shareGroup)) throw badTopic(shareGroup, 'invalid share group');
  const site = siteId ?? '+';
  return GATE_CHANNELS.filter((c) => CHANNELS[c].from === 'gate').map((channel) => {
    const spec = CHANNELS[channel];
    const filter = `${TOPIC_ROOT}/${VERSION_SEGMENT}/${site}/gate/+/${channel}`;
    const shared = shareGroup !== undefined && spec.shareable;
    return { filter: shared ? `$share/${shareGroup}/${filter}` : filter, qos: spec.qos };
  });
}

/** What a gate subscribes to: its own cloud → gate channels and the site-wide channels, as exact topics. */
export function gateSubscriptions(siteId: string, gateId: string): Subscription[] {
  return gateAcl(siteId, gateId).subscribe.map((filter) => ({ filter, qos: 1 as const }));
}

/**
 * Exact topics a gate may publish to and subscribe to — for a broker's authorisation hooks or an ACL file. Gates
 * subscribe to exact topics, never wildcards; the QoS they ask for is capped by the broker anyway.
 */
export function gateAcl(siteId: string, gateId: string): { publish: string[]; subscribe: string[] } {
  checkIds(siteId, gateId);
  const topic = (channel: Channel) =>
    isGateChannel(channel) ? gateTopic(siteId, gateId, channel) : siteTopic(siteId, channel);
  const all = [...GATE_CHANNELS, ...SITE_CHANNELS];
  return {
    publish: all.filter((c) => CHANNELS[c].from === 'gate').map(topic),
    subscribe: all.filter((c) => CHANNELS[c].from === 'cloud').map(topic),
  };
}

/** MQTT filter matching (`+` one level, trailing `#` any rest), for routing and authorisation checks. */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Wildcards at the first level never match `$…` topics (MQTT 3.1.1 §4.7.2).
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
