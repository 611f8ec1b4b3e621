/** @scenic/simulators/drivers: virtual twins of every gate driver port, for PCs, the gate simulator and tests. */
export * from './mfrc522-model/mfrc522-model.js';
export * from './mfrc522-model/virtual-card.js';
export * from './simulated-card-reader.js';
export * from './virtual-gate.js';
export * from './virtual-led.js';
export * from './virtual-passage-sensor.js';
export * from './virtual-recycler.js';
export * from './virtual-relay.js';
export * from './virtual-scanner.js';
export * from './virtual-voice.js';
