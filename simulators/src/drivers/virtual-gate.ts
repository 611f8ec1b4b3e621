import type { GateHardware } from '@scenic/gate-agent/drivers';
import { SimulatedCardReader, type SimulatedCardReaderOptions } from './simulated-card-reader.js';
import { VirtualLed, type VirtualLedOptions } from './virtual-led.js';
import { VirtualPassageSensor } from './virtual-passage-sensor.js';
import { VirtualRecycler } from './virtual-recycler.js';
import { VirtualRelay } from './virtual-relay.js';
import { VirtualScanner } from './virtual-scanner.js';
import { VirtualVoice } from './virtual-voice.js';

export interface VirtualGateOptions {
  readonly cardReader?: SimulatedCardReaderOptions;
  readonly led?: VirtualLedOptions;
  readonly voice?: { readonly speakMs?: number; readonly maxQueue?: number };
  /** A virtual visitor walks through this long after each release; leave out to trigger passages by hand. */
  readonly autoPassAfterMs?: number;
  /** Include a card recycling unit. Default true. */
  readonly recycler?: boolean;
}

/** Every device of one simulated gate, with their virtual types kept so a UI or test can drive them. */
export interface VirtualGate {
  readonly hardware: GateHardware;
  readonly scanner: VirtualScanner;
  readonly cardReader: SimulatedCardReader;
  readonly relays: {
    readonly entry: VirtualRelay;
    readonly exit: VirtualRelay;
    readonly alarm: VirtualRelay;
  };
  readonly passage: VirtualPassageSensor;
  readonly led: VirtualLed;
  readonly voice: VirtualVoice;
  readonly recycler: VirtualRecycler | undefined;
}

export function createVirtualGate(options: VirtualGateOptions = {}): VirtualGate {
  const relays = {
    entry: new VirtualRelay('entry'),
    exit: new VirtualRelay('exit'),
    alarm: new VirtualRelay('alarm'),
  };
  const passage = new VirtualPassageSensor(
    options.autoPassAfterMs === undefined ? {} : { autoPass: { relays, afterMs: options.autoPassAfterMs } },
  );
  const scanner = new VirtualScanner();
  const cardReader = new SimulatedCardReader(options.cardReader);
  const led = new VirtualLed(options.led);
  const voice = new VirtualVoice(options.voice);
  const recycler = options.recycler === false ? undefined : new VirtualRecycler();
  const hardware: GateHardware = {
    scanner,
    cardReader,
    relays,
    passage,
    led,
    voice,
    ...(recycler ? { recycler } : {}),
  };
  return { hardware, scanner, cardReader, relays, passage, led, voice, recycler };
}
