/**
 * What each identity may do on the broker. A gate publishes only its own gate → cloud topics and subscribes only to
 * its own cloud → gate topics and its site's shared ones — exactly the lists of the protocol's `gateAcl`, with no
 * wildcards, so a gate can neither impersonate nor eavesdrop on another gate. The cloud may do anything.
 */
import { gateAcl } from '@scenic/protocol';
import type { MqttIdentity } from './identity.js';

export interface TopicAcl {
  mayPublish(topic: string): boolean;
  maySubscribe(filter: string): boolean;
}

const FULL_ACCESS: TopicAcl = { mayPublish: () => true, maySubscribe: () => true };

export function aclFor(identity: MqttIdentity): TopicAcl {
  if (identity.kind === 'cloud') return FULL_ACCESS;
  const acl = gateAcl(identity.siteId, identity.gateId);
  const publish = new Set(acl.publish);
  const subscribe = new Set(acl.subscribe);
  return { mayPublish: (topic) => publish.has(topic), maySubscribe: (filter) => subscribe.has(filter) };
}
