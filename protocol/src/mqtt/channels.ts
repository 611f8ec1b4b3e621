/**
 * The channel table: for every topic kind, who publishes it, how (QoS, retain), which message types it carries and
 * how large a payload may be. Codec, topic helpers and the README's topic table all follow this one table.
 */
import type { MessageOf, MessageType } from './messages/index.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Channels under `sg/v1/{siteId}/gate/{gateId}/`, named by the rest of the topic. */
export const GATE_CHANNELS = [
  'state',
  'heartbeat',
  'event/passage',
  'event/denial',
  'cmd',
  'cmd/ack',
  'config',
  'whitelist',
  'whitelist/req',
  'validate/req',
  'validate/res',
] as const;
/** Channels under `sg/v1/{siteId}/`, shared by all gates of the site, named by the rest of the topic. */
export const SITE_CHANNELS = ['site/whitelist', 'site/cmd'] as const;

export type GateChannel = (typeof GATE_CHANNELS)[number];
export type SiteChannel = (typeof SITE_CHANNELS)[number];
export type Channel = GateChannel | SiteChannel;

export interface ChannelSpec {
  /** Who publishes; the other side subscribes. */
  readonly from: 'gate' | 'cloud';
  readonly qos: 0 | 1;
  readonly retained: boolean;
  /** Payloads above this are rejected before parsing. */
  readonly maxBytes: number;
  readonly types: readonly MessageType[];
  /**
   * Whether cloud instances may split this channel with a shared subscription (one instance handles each message).
   * Retained channels are not: shared subscriptions do not receive retained messages.
   */
  readonly shareable: boolean;
}

export const CHANNELS = {
  state: { from: 'gate', qos: 1, retained: true, maxBytes: 4 * KiB, types: ['gate_state'], shareable: false },
  heartbeat: {
    from: 'gate',
    qos: 0,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['heartbeat'],
    shareable: true,
  },
  'event/passage': {
    from: 'gate',
    qos: 1,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['passage'],
    shareable: true,
  },
  'event/denial': {
    from: 'gate',
    qos: 1,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['denial'],
    shareable: true,
  },
  cmd: { from: 'cloud', qos: 1, retained: false, maxBytes: 4 * KiB, types: ['command'], shareable: false },
  'cmd/ack': {
    from: 'gate',
    qos: 1,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['command_ack'],
    shareable: true,
  },
  config: {
    from: 'cloud',
    qos: 1,
    retained: true,
    maxBytes: 256 * KiB,
    types: ['gate_config'],
    shareable: false,
  },
  whitelist: {
    from: 'cloud',
    qos: 1,
    retained: false,
    maxBytes: 1 * MiB,
    types: ['whitelist_snapshot', 'whitelist_delta'],
    shareable: false,
  },
  'whitelist/req': {
    from: 'gate',
    qos: 1,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['sync_request'],
    shareable: true,
  },
  // QoS 0: an answer after the deadline is worthless, and QoS 1 would replay stale requests after a reconnect.
  'validate/req': {
    from: 'gate',
    qos: 0,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['validate_request'],
    shareable: true,
  },
  'validate/res': {
    from: 'cloud',
    qos: 0,
    retained: false,
    maxBytes: 4 * KiB,
    types: ['validate_response'],
    shareable: false,
  },
  'site/whitelist': {
    from: 'cloud',
    qos: 1,
    retained: false,
    maxBytes: 256 * KiB,
    types: ['whitelist_delta'],
    shareable: false,
  },
  'site/cmd': {
    from: 'cloud',
    qos: 1,
    retained: false,
    maxBytes: 128 * KiB,
    types: ['site_command'],
    shareable: false,
  },
} as const satisfies Record<Channel, ChannelSpec>;

/** The decoded message types a channel may carry. */
export type ChannelMessage<C extends Channel> = MessageOf<(typeof CHANNELS)[C]['types'][number]>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(CHANNELS, value);
}

export function isGateChannel(channel: Channel): channel is GateChannel {
  return (GATE_CHANNELS as readonly string[]).includes(channel);
}

/** The largest payload any channel accepts for this message type: the bound an encoder without a channel uses. */
export function maxBytesForType(type: MessageType): number {
  let max = 0;
  for (const spec of Object.values(CHANNELS) as ChannelSpec[]) {
    if (spec.types.includes(type)) max = Math.max(max, spec.maxBytes);
  }
  return max;
}
