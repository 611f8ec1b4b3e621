import { asDriverError, DriverError } from './errors.js';
import type { Device, GateHardware } from './interfaces.js';

/** Where a device sits in GateHardware, as a path: 'relays.entry', 'led', 'cardReader', … */
export type GateDeviceRole =
  | 'relays.entry'
  | 'relays.exit'
  | 'relays.alarm'
  | 'passage'
  | 'led'
  | 'voice'
  | 'recycler'
  | 'cardReader'
  | 'scanner';

/** A device the lane runs without because its start() failed. */
export interface DegradedDevice {
  readonly role: GateDeviceRole;
  readonly device: Device;
  readonly error: DriverError;
}

/**
 * Essential: the lane cannot work without it (relays release and lock, the passage sensor confirms admits).
 * The readers are essential as a pair: one of scanner and card reader is enough.
 */
const ESSENTIAL: ReadonlySet<GateDeviceRole> = new Set([
  'relays.entry',
  'relays.exit',
  'relays.alarm',
  'passage',
]);
const READERS: ReadonlySet<GateDeviceRole> = new Set(['cardReader', 'scanner']);

/** Every device of a gate with its role, in start order: outputs first, so nothing is released half-set-up. */
function gateDeviceRoles(hw: GateHardware): [GateDeviceRole, Device][] {
  const devices: [GateDeviceRole, Device][] = [
    ['relays.entry', hw.relays.entry],
    ['relays.exit', hw.relays.exit],
    ['relays.alarm', hw.relays.alarm],
    ['led', hw.led],
    ['voice', hw.voice],
    ['passage', hw.passage],
  ];
  if (hw.recycler) devices.push(['recycler', hw.recycler]);
  devices.push(['cardReader', hw.cardReader], ['scanner', hw.scanner]);
  return devices;
}

/** Every device of a gate, in the order they are started (outputs first, so nothing is released half-set-up). */
export function gateDevices(hw: GateHardware): Device[] {
  return gateDeviceRoles(hw).map(([, device]) => device);
}

function startError(role: GateDeviceRole, err: unknown): DriverError {
  return asDriverError(err, 'NOT_STARTED', `${role} could not be started`);
}

/**
 * Starts every device and resolves with the non-essential ones that failed (empty when all started). The lane runs
 * without those: a dead LED port, a missing espeak-ng, a broken recycler or one of the two credential readers must
 * not keep visitors out. A failed device has had stop() called (releasing whatever it half-acquired) and stays
 * stopped; calling into it rejects with NOT_STARTED. restartDegraded() tries them again.
 *
 * An essential device failing (a relay, the passage sensor, or both readers) still fails the whole start: every
 * device already started is stopped again and the DriverError is rethrown, so the agent never runs a lane that
 * cannot release, lock or confirm a passage.
 */
export async function startGateHardware(hw: GateHardware): Promise<DegradedDevice[]> {
  const started: Device[] = [];
  const degraded: DegradedDevice[] = [];
  const failAll = async (error: DriverError): Promise<never> => {
    await Promise.all([...started, ...degraded.map((d) => d.device)].map((d) => d.stop()));
    throw error;
  };
  for (const [role, device] of gateDeviceRoles(hw)) {
    try {
      await device.start();
      started.push(device);
    } catch (err) {
      const error = startError(role, err);
      if (ESSENTIAL.has(role)) {
        await device.stop();
        return failAll(error);
      }
      await device.stop();
      degraded.push({ role, device, error });
    }
  }
  const deadReaders = degraded.filter((d) => READERS.has(d.role));
  if (deadReaders.length === READERS.size) {
    const detail = deadReaders.map((d) => `${d.role}: ${d.error.message}`).join('; ');
    return failAll(
      new DriverError(deadReaders[0]!.error.code, `no credential reader could be started (${detail})`, {
        cause: deadReaders.map((d) => d.error),
      }),
    );
  }
  return degraded;
}

/**
 * Tries to start degraded devices again (a technician plugged the LED back in); resolves with those still
 * failing. A device that starts is a normal member of the lane from then on.
 */
export async function restartDegraded(degraded: readonly DegradedDevice[]): Promise<DegradedDevice[]> {
  const still: DegradedDevice[] = [];
  for (const entry of degraded) {
    try {
      await entry.device.start();
    } catch (err) {
      await entry.device.stop();
      still.push({ ...entry, error: startError(entry.role, err) });
    }
  }
  return still;
}

/** Stops every device, inputs first so no new scan arrives while the outputs shut down. */
export async function stopGateHardware(hw: GateHardware): Promise<void> {
  for (const device of gateDevices(hw).reverse()) await device.stop();
}
