import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import { CHANNELS, GATE_CHANNELS, SITE_CHANNELS } from './channels.js';
import {
  cloudSubscriptions,
  gateAcl,
  gateSubscriptions,
  gateTopic,
  parseTopic,
  siteTopic,
  topicMatchesFilter,
} from './topics.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isProtocolError(err) ? err.code : `non-protocol error: ${String(err)}`;
  }
  return undefined;
}

describe('topic builders and parser', () => {
  it('builds the documented shapes', () => {
    expect(gateTopic('park', 'G01', 'state')).toBe('sg/v1/park/gate/G01/state');
    expect(gateTopic('park', 'G01', 'cmd/ack')).toBe('sg/v1/park/gate/G01/cmd/ack');
    expect(gateTopic('park', 'G01', 'event/passage')).toBe('sg/v1/park/gate/G01/event/passage');
    expect(siteTopic('park', 'site/whitelist')).toBe('sg/v1/park/site/whitelist');
    expect(siteTopic('park', 'site/cmd')).toBe('sg/v1/park/site/cmd');
  });

  it('round-trips every channel', () => {
    for (const channel of GATE_CHANNELS) {
      expect(parseTopic(gateTopic('west-lake.1', 'gate_07', channel))).toEqual({
        version: 1,
        siteId: 'west-lake.1',
        gateId: 'gate_07',
        channel,
      });
    }
    for (const channel of SITE_CHANNELS) {
      const parsed = parseTopic(siteTopic('S1', channel));
      expect(parsed).toEqual({ version: 1, siteId: 'S1', channel });
      expect(parsed.gateId).toBeUndefined();
    }
  });

  it('rejects topics outside the tree', () => {
    const bad = [
      '',
      'sg',
      'sg/v1',
      'sg/v1/park',
      'sg/v2/park/gate/G01/state',
      'xx/v1/park/gate/G01/state',
      'sg/v1/park/gate/G01',
      'sg/v1/park/gate/G01/',
      'sg/v1/park/gate/G01/status',
      'sg/v1/park/gate/G01/state/extra',
      'sg/v1/park/gate/G01/cmd/ack/x',
      'sg/v1/park/gate//state',
      'sg/v1//gate/G01/state',
      'sg/v1/+/gate/G01/state',
      'sg/v1/park/gate/+/state',
      'sg/v1/park/gate/#',
      'sg/v1/park/gate/G#1/state',
      `sg/v1/park/gate/${'g'.repeat(65)}/state`,
      'sg/v1/park/gate/-lead/state',
      'sg/v1/park/site/state',
      'sg/v1/park/site',
      'sg/v1/park/whitelist',
      'sg/v1/park/site/whitelist/x',
      '$SYS/broker/uptime',
      '$share/cloud/sg/v1/park/gate/G01/state',
      'sg/v1/park/gate/G01/__proto__',
      'sg/v1/park/gate/G01/constructor',
      `sg/v1/park/gate/G01/state${'/x'.repeat(200)}`,
    ];
    for (const topic of bad)
      expect(
        codeOf(() => parseTopic(topic)),
        topic,
      ).toBe('BAD_TOPIC');
    expect(codeOf(() => parseTopic(42 as unknown as string))).toBe('BAD_TOPIC');
  });

  it('refuses ids that would break the tree when building', () => {
    for (const id of ['', '+', '#', 'a/b', 'x'.repeat(65), ' G1', 'G 1', 'Ü1']) {
      expect(
        codeOf(() => gateTopic('park', id, 'state')),
        id,
      ).toBe('BAD_TOPIC');
      expect(
        codeOf(() => gateTopic(id, 'G01', 'state')),
        id,
      ).toBe('BAD_TOPIC');
      expect(
        codeOf(() => siteTopic(id, 'site/cmd')),
        id,
      ).toBe('BAD_TOPIC');
    }
    expect(codeOf(() => gateTopic('park', 'G01', 'site/cmd' as 'cmd'))).toBe('BAD_TOPIC');
    expect(codeOf(() => siteTopic('park', 'cmd' as 'site/cmd'))).toBe('BAD_TOPIC');
    expect(gateTopic('p', 'x'.repeat(64), 'state')).toContain('x'.repeat(64));
  });
});

describe('subscriptions and ACL', () => {
  it('cloud subscribes to every gate → cloud channel and nothing else', () => {
    const subs = cloudSubscriptions();
    const uplink = GATE_CHANNELS.filter((c) => CHANNELS[c].from === 'gate');
    expect(subs.map((s) => s.filter)).toEqual(uplink.map((c) => `sg/v1/+/gate/+/${c}`));
    expect(subs.find((s) => s.filter.endsWith('/heartbeat'))?.qos).toBe(0);
    expect(subs.find((s) => s.filter.endsWith('/event/passage'))?.qos).toBe(1);
    for (const channel of GATE_CHANNELS) {
      const topic = gateTopic('park', 'G01', channel);
      const matched = subs.some((s) => topicMatchesFilter(s.filter, topic));
      expect(matched, channel).toBe(CHANNELS[channel].from === 'gate');
    }
  });

  it('shares the work channels but never the retained state', () => {
    const subs = cloudSubscriptions({ siteId: 'park', shareGroup: 'cloud' });
    expect(subs).toContainEqual({ filter: '$share/cloud/sg/v1/park/gate/+/event/passage', qos: 1 });
    expect(subs).toContainEqual({ filter: 'sg/v1/park/gate/+/state', qos: 1 });
    expect(codeOf(() => cloudSubscriptions({ shareGroup: 'a/b' }))).toBe('BAD_TOPIC');
    expect(codeOf(() => cloudSubscriptions({ siteId: '+' }))).toBe('BAD_TOPIC');
  });

  it('a gate needs nothing outside its own subtree and the read-only site subtree', () => {
    const acl = gateAcl('park', 'G01');
    for (const topic of acl.publish)
      expect(topicMatchesFilter('sg/v1/park/gate/G01/#', topic), topic).toBe(true);
    for (const topic of acl.subscribe) {
      const own = topicMatchesFilter('sg/v1/park/gate/G01/#', topic);
      const site = topicMatchesFilter('sg/v1/park/site/#', topic);
      expect(own || site, topic).toBe(true);
    }
    // Publishing into the site subtree is never needed, so it can be read-only.
    expect(acl.publish.some((t) => topicMatchesFilter('sg/v1/park/site/#', t))).toBe(false);
    expect(acl.publish).toContain('sg/v1/park/gate/G01/cmd/ack');
    expect(acl.publish).not.toContain('sg/v1/park/gate/G01/cmd');
    expect(acl.subscribe).toContain('sg/v1/park/gate/G01/cmd');
    expect(acl.subscribe).toContain('sg/v1/park/site/cmd');
    expect(gateSubscriptions('park', 'G01').map((s) => s.filter)).toEqual(acl.subscribe);
  });

  it('matches MQTT filters per the specification', () => {
    expect(topicMatchesFilter('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatchesFilter('a/+/c', 'a/b/d')).toBe(false);
    expect(topicMatchesFilter('a/+', 'a/b/c')).toBe(false);
    expect(topicMatchesFilter('a/#', 'a')).toBe(true);
    expect(topicMatchesFilter('a/#', 'a/b/c')).toBe(true);
    expect(topicMatchesFilter('a/b', 'a/b/c')).toBe(false);
    expect(topicMatchesFilter('#', '$SYS/x')).toBe(false);
    expect(topicMatchesFilter('sg/v1/park/gate/G01/cmd', 'sg/v1/park/gate/G01/cmd/ack')).toBe(false);
  });
});
