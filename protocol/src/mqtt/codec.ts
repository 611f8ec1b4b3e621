/**
 * JSON (UTF-8) encoding of MQTT messages. Decoding is for hostile input: the size is bounded before anything is
 * parsed, bytes must be valid UTF-8, and every failure — whatever the input — comes out as a ProtocolError with one of
 * the codes TOO_LARGE, BAD_JSON, UNKNOWN_MESSAGE_TYPE, BAD_MESSAGE (BAD_TOPIC for an unknown channel or topic).
 */
import type { z } from 'zod';
import { isProtocolError, ProtocolError } from '../errors.js';
import {
  CHANNELS,
  type Channel,
  type ChannelMessage,
  type ChannelSpec,
  isChannel,
  maxBytesForType,
} from './channels.js';
import { MESSAGE_SCHEMAS, type Message, type MessageInput, type MessageType } from './messages/index.js';
import { type ParsedTopic, parseTopic } from './topics.js';

/** At most this many schema issues are reported in `details`, so a bad 2,000-record chunk cannot flood a log. */
const MAX_REPORTED_ISSUES = 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface MessageIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

function isMessageType(value: string): value is MessageType {
  return Object.hasOwn(MESSAGE_SCHEMAS, value);
}

function channelSpec(channel: Channel): ChannelSpec {
  if (!isChannel(channel)) {
    throw new ProtocolError('BAD_TOPIC', 'unknown channel', { channel: String(channel).slice(0, 64) });
  }
  return CHANNELS[channel];
}

function badMessage(type: string, error: z.ZodError): ProtocolError {
  const issues: MessageIssue[] = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    code: issue.code,
    message: issue.message.slice(0, 200),
  }));
  const where = issues.map((i) => i.path.join('.') || '(root)').join(', ');
  return new ProtocolError('BAD_MESSAGE', `invalid ${type} message at ${where}`, {
    type,
    issues,
    issueCount: error.issues.length,
  });
}

/** Validates (applying defaults) and serialises a message; with a channel, also checks it belongs there. */
export function encodeMessage(message: MessageInput, channel?: Channel): Buffer {
  const type: unknown = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !isMessageType(type)) {
    throw new ProtocolError('UNKNOWN_MESSAGE_TYPE', 'unknown message type', {
      type: String(type).slice(0, 64),
    });
  }
  let limit = maxBytesForType(type);
  if (channel !== undefined) {
    const spec = channelSpec(channel);
    if (!spec.types.includes(type)) {
      throw new ProtocolError('UNKNOWN_MESSAGE_TYPE', `${type} is not carried on ${channel}`, {
        type,
        channel,
      });
    }
    limit = spec.maxBytes;
  }
  const parsed = MESSAGE_SCHEMAS[type].safeParse(message);
  if (!parsed.success) throw badMessage(type, parsed.error);
  const bytes = Buffer.from(JSON.stringify(parsed.data), 'utf8');
  if (bytes.length > limit) {
    throw new ProtocolError('TOO_LARGE', `${type} message of ${bytes.length} bytes exceeds ${limit}`, {
      size: bytes.length,
      limit,
    });
  }
  return bytes;
}

function payloadText(payload: Uint8Array | string, limit: number): string {
  if (typeof payload === 'string') {
    // A UTF-8 encoding is never shorter than the string's UTF-16 length, so long strings are refused uncounted.
    const size = payload.length > limit ? payload.length : Buffer.byteLength(payload, 'utf8');
    if (size > limit) throw new ProtocolError('TOO_LARGE', `payload exceeds ${limit} bytes`, { size, limit });
    return payload;
  }
  if (!(payload instanceof Uint8Array))
    throw new ProtocolError('BAD_JSON', 'payload is neither bytes nor text');
  if (payload.length > limit) {
    throw new ProtocolError('TOO_LARGE', `payload exceeds ${limit} bytes`, { size: payload.length, limit });
  }
  try {
    return utf8.decode(payload);
  } catch {
    throw new ProtocolError('BAD_JSON', 'payload is not valid UTF-8');
  }
}

function decodeUnchecked(channel: Channel, payload: Uint8Array | string): Message {
  const spec = channelSpec(channel);
  const text = payloadText(payload, spec.maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError('BAD_JSON', 'payload is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('BAD_MESSAGE', 'payload is not a JSON object', {
      issues: [{ path: [], code: 'invalid_type', message: 'expected an object' }],
    });
  }
  const type: unknown = Object.hasOwn(value, 'type') ? (value as { type: unknown }).type : undefined;
  if (typeof type !== 'string') {
    throw new ProtocolError('BAD_MESSAGE', 'message has no type', {
      issues: [{ path: ['type'], code: 'invalid_type', message: 'expected a string' }],
    });
  }
  if (!isMessageType(type) || !spec.types.includes(type)) {
    throw new ProtocolError('UNKNOWN_MESSAGE_TYPE', `type not carried on ${channel}`, {
      type: type.slice(0, 64),
      channel,
      allowed: spec.types,
    });
  }
  const parsed = MESSAGE_SCHEMAS[type].safeParse(value);
  if (!parsed.success) throw badMessage(type, parsed.error);
  return parsed.data;
}

/** Decodes a payload received on `channel` into the typed message; throws ProtocolError and nothing else. */
export function decodeMessage<C extends Channel>(
  channel: C,
  payload: Uint8Array | string,
): ChannelMessage<C> {
  try {
    return decodeUnchecked(channel, payload) as ChannelMessage<C>;
  } catch (err) {
    if (isProtocolError(err)) throw err;
    // Defensive: no input should get here, but a decoder for hostile input must not leak other error types.
    throw new ProtocolError('BAD_MESSAGE', 'message could not be decoded', {
      cause: String(err).slice(0, 200),
    });
  }
}

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: ProtocolError };

export function tryDecodeMessage<C extends Channel>(
  channel: C,
  payload: Uint8Array | string,
): DecodeResult<ChannelMessage<C>> {
  try {
    return { ok: true, message: decodeMessage(channel, payload) };
  } catch (err) {
    return { ok: false, error: err as ProtocolError };
  }
}

/** Parses the topic and decodes the payload for its channel: one call for a client's `message` handler. */
export function decodeTopicMessage(
  topic: string,
  payload: Uint8Array | string,
): { topic: ParsedTopic; message: Message } {
  const parsed = parseTopic(topic);
  return { topic: parsed, message: decodeMessage(parsed.channel, payload) };
}
