import type { Device, GateHardware } from './interfaces.js';

/** Every device of a gate, in the order they are started (outputs first, so nothing is released half-set-up). */
export function gateDevices(hw: GateHardware): Device[] {
  const devices: Device[] = [hw.relays.entry, hw.relays.exit, hw.relays.alarm, hw.led, hw.voice, hw.passage];
  if (hw.recycler) devices.push(hw.recycler);
  devices.push(hw.cardReader, hw.scanner);
  return devices;
}

/**
 * Starts every device. If one fails, the ones already started are stopped again and the failure (a DriverError
 * naming the device's problem) is rethrown, so the agent never runs on half its hardware without knowing.
 */
export async function startGateHardware(hw: GateHardware): Promise<void> {
  const started: Device[] = [];
  try {
    for (const device of gateDevices(hw)) {
      await device.start();
      started.push(device);
    }
  } catch (err) {
    await Promise.all(started.map((d) => d.stop()));
    throw err;
  }
}

/** Stops every device, inputs first so no new scan arrives while the outputs shut down. */
export async function stopGateHardware(hw: GateHardware): Promise<void> {
  for (const device of gateDevices(hw).reverse()) await device.stop();
}
