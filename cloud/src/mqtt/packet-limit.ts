/**
 * A bound on the size of one inbound MQTT packet on the embedded broker. An MQTT fixed header may declare up to
 * 256 MB, and aedes' parser (mqtt-packet) buffers a packet until all of it has arrived — before the login is even
 * checked — so one socket could make the cloud hold hundreds of megabytes until the connect timeout, and a few
 * sockets its whole memory (found by fuzzing, mqtt/fuzz.test.ts). Nothing a gate sends comes near the bound: its
 * payloads are at most the protocol's 4 KiB per gate → cloud channel (larger ones still arrive and are logged as
 * TOO_LARGE up to the bound), its topics 256 characters, its CONNECT a client id, a login and a will; the cloud's own
 * messages to gates never pass through a socket here (EmbeddedBroker.publish is in process).
 *
 * aedes has no option for this, so the length check is added to each connection's parser: the declared length is
 * checked as soon as the fixed header is read, and a packet above the bound is a parse error, which makes aedes close
 * the connection.
 */

/** Largest inbound packet (its remaining length) the embedded broker reads. */
export const MAX_INBOUND_PACKET_BYTES = 64 * 1024;

/** The parts of mqtt-packet's parser this relies on (not part of its typed API; packet-limit.test.ts checks them). */
interface PacketParser {
  packet: { length: number };
  _parseLength(): boolean;
  _emitError(error: Error): void;
}

/**
 * Makes the aedes client of one connection refuse packets declaring more than `maxBytes`. Returns false when the
 * client does not have the parser this expects (a changed aedes), so the caller can log that the bound is missing.
 */
export function limitPacketSize(client: unknown, maxBytes = MAX_INBOUND_PACKET_BYTES): boolean {
  const parser = (client as { _parser?: Partial<PacketParser> } | undefined)?._parser;
  if (typeof parser?._parseLength !== 'function' || typeof parser._emitError !== 'function') return false;
  const parseLength = parser._parseLength;
  const limited = parser as PacketParser;
  limited._parseLength = function (this: PacketParser) {
    if (!parseLength.call(this)) return false;
    if (this.packet.length <= maxBytes) return true;
    this._emitError(new Error(`packet of ${this.packet.length} bytes exceeds ${maxBytes}`));
    return false;
  };
  return true;
}
