/**
 * Site-wide messages reach every gate of the site with the same bytes. Real gates each decode their own copy on
 * their own CPU; hundreds of simulated gates in one process would spend the process's one thread decoding the same
 * delta hundreds of times and delay everything else they time. So a fleet hands its gates' links one decoder that
 * keeps the last few site-wide messages decoded: a decoded message is never mutated, and each gate still applies
 * it to its own state.
 */
import { type Channel, decodeMessage, type Message } from '@scenic/protocol';

const KEPT = 64;

export function sharedSiteDecoder(): (channel: Channel, payload: Buffer, topic: string) => Message {
  const decoded = new Map<string, Message>();
  return (channel, payload, topic) => {
    if (channel !== 'site/whitelist' && channel !== 'site/cmd') return decodeMessage(channel, payload);
    const key = `${topic}\n${payload.toString('latin1')}`;
    const known = decoded.get(key);
    if (known !== undefined) return known;
    const message = decodeMessage(channel, payload);
    if (decoded.size >= KEPT) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, message);
    return message;
  };
}
