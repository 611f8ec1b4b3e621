/** @scenic/simulators/drivers: virtual twins of every gate driver port, for PCs, the gate simulator and tests. */
export * from './mfrc522-model/mfrc522-model.js';
export * from './mfrc522-model/virtual-card.js';
