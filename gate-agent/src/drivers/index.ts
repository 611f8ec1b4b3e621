/**
 * @scenic/gate-agent/drivers: the driver ports and everything that needs no hardware library — safe to import on
 * any PC (the simulators and the gate core do). Real drivers that load onoff, serialport or spi-device live in
 * @scenic/gate-agent/drivers/hardware.
 */
export * from './emitter.js';
export * from './errors.js';
export * from './gate-hardware.js';
export type * from './gpio/gpio-lines.js';
export * from './interfaces.js';
export * from './led/led-frame.js';
export { crcA } from './mfrc522/crc-a.js';
export * from './mfrc522/mfrc522-chip.js';
export * from './mfrc522/mfrc522-reader.js';
export type { SpiTransport } from './mfrc522/spi-transport.js';
export * from './relay-pulse.js';
export * from './scanner/line-splitter.js';
export * from './scanner/stream-scanner.js';
export * from './wait-for-passage.js';
