/**
 * @scenic/gate-agent/drivers/hardware: the real drivers. Importing this loads onoff, serialport and spi-device
 * (native modules built for Linux); the gate core never imports it — only the agent's wiring does.
 */
export * from './gpio/gpio-card-recycler.js';
export type * from './gpio/gpio-lines.js';
export * from './gpio/gpio-passage-sensor.js';
export * from './gpio/gpio-relay.js';
export * from './gpio/memory-gpio.js';
export * from './gpio/onoff-gpio.js';
export * from './gpio/sysfs-chips.js';
export * from './led/serial-led-display.js';
export * from './mfrc522/spi-device-transport.js';
export * from './scanner/serial-scanner.js';
export * from './serial/serial-port.js';
export * from './voice/espeak-voice.js';
