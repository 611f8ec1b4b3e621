/** Every MQTT message schema, keyed by its `type` discriminator. */
import type { z } from 'zod';
import { commandAckSchema, commandSchema, siteCommandSchema } from './commands.js';
import { gateConfigSchema } from './config.js';
import { denialEventSchema, passageEventSchema } from './events.js';
import { gateStateSchema, heartbeatSchema } from './state.js';
import { validateRequestSchema, validateResponseSchema } from './validation.js';
import { syncRequestSchema, whitelistDeltaSchema, whitelistSnapshotSchema } from './whitelist.js';

export * from './commands.js';
export * from './common.js';
export * from './config.js';
export * from './events.js';
export * from './state.js';
export * from './validation.js';
export * from './whitelist.js';

export const MESSAGE_SCHEMAS = {
  gate_state: gateStateSchema,
  heartbeat: heartbeatSchema,
  passage: passageEventSchema,
  denial: denialEventSchema,
  command: commandSchema,
  site_command: siteCommandSchema,
  command_ack: commandAckSchema,
  gate_config: gateConfigSchema,
  whitelist_snapshot: whitelistSnapshotSchema,
  whitelist_delta: whitelistDeltaSchema,
  sync_request: syncRequestSchema,
  validate_request: validateRequestSchema,
  validate_response: validateResponseSchema,
} as const;

export type MessageType = keyof typeof MESSAGE_SCHEMAS;
export const MESSAGE_TYPES = Object.keys(MESSAGE_SCHEMAS) as MessageType[];

/** A decoded message of one type (defaults applied). */
export type MessageOf<T extends MessageType> = z.output<(typeof MESSAGE_SCHEMAS)[T]>;
/** What a sender may pass to the encoder for one type (fields with defaults may be left out). */
export type MessageInputOf<T extends MessageType> = z.input<(typeof MESSAGE_SCHEMAS)[T]>;
export type Message = { [T in MessageType]: MessageOf<T> }[MessageType];
export type MessageInput = { [T in MessageType]: MessageInputOf<T> }[MessageType];
