import { expect, it } from 'vitest';

it('the package root resolves and offers the virtual devices and the gate simulator', async () => {
  // Through the package name, as another workspace imports it: this fails if package.json exports point nowhere.
  const sims = await import('@scenic/simulators');
  const drivers = await import('@scenic/simulators/drivers');
  expect(sims.createVirtualGate).toBe(drivers.createVirtualGate);
  const gate = sims.createVirtualGate({ recycler: false });
  expect(gate.recycler).toBeUndefined();
  expect(typeof sims.GateSim).toBe('function');
  expect(typeof sims.runGateSim).toBe('function');
  expect(typeof sims.runSimAgent).toBe('function');
  expect(sims.parseSimArgs(['--site', 'park', '--gate', 'G07', '--no-tui']).agent).toMatchObject({
    siteId: 'park',
    gateId: 'G07',
  });
  expect(sims.parseCommand('p')).toEqual({ kind: 'pass', direction: 'in' });
  expect(sims.parseCommand('w 25')).toEqual({ kind: 'walk', direction: 'in', persons: 25 });
  // Not a group size: scanned as a code, which the gate refuses.
  expect(sims.parseCommand('w x')).toEqual({ kind: 'scan', code: 'w x' });
});
