/**
 * The slice of serialport the scanner and LED drivers use, behind a factory so tests can hand in serialport's own
 * SerialPortMock (same stream code, a mock binding underneath) instead of a device node.
 */
import { SerialPort } from 'serialport';
import { asDriverError } from '../errors.js';

export interface SerialPortOptions {
  readonly path: string;
  readonly baudRate: number;
}

/** What the drivers need from a port; serialport's SerialPort and SerialPortMock both satisfy it. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback: (err: Error | null) => void): void;
  write(data: Buffer): boolean;
  drain(callback: (err: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: () => void): this;
}

export type SerialPortFactory = (options: SerialPortOptions) => SerialPortLike;

export const systemSerialPort: SerialPortFactory = (options) =>
  new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });

export function openPort(port: SerialPortLike, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    port.open((err) => (err ? reject(asDriverError(err, 'SERIAL_IO', `cannot open ${path}`)) : resolve()));
  });
}

/** Closes if open; never rejects (stop() must not). */
export function closePort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}

export function writeAll(port: SerialPortLike, data: Buffer, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(data);
    port.drain((err) =>
      err ? reject(asDriverError(err, 'SERIAL_IO', `write to ${path} failed`)) : resolve(),
    );
  });
}
