import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverError } from '../errors.js';
import type { SerialPortFactory } from '../serial/serial-port.js';
import { SerialScanner } from './serial-scanner.js';

const PATH = '/dev/ttyFAKESCAN';

function mockFactory(created: SerialPortMock[]): SerialPortFactory {
  return ({ path, baudRate }) => {
    const port = new SerialPortMock({ path, baudRate, autoOpen: false });
    created.push(port);
    return port;
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SerialScanner over serialport (mock binding)', () => {
  afterEach(() => SerialPortMock.binding.reset());

  it('emits scanned lines and faults for bad ones', async () => {
    SerialPortMock.binding.createPort(PATH);
    const ports: SerialPortMock[] = [];
    const scanner = new SerialScanner({ path: PATH, maxLength: 10, portFactory: mockFactory(ports) });
    const lines: string[] = [];
    const faults: string[] = [];
    scanner.on('line', (l) => lines.push(l));
    scanner.on('fault', (e) => faults.push(e.code));
    await scanner.start();
    ports[0]!.port!.emitData('SN-0001\r\nTOO-LONG-FOR-IT\r\nSN-0');
    ports[0]!.port!.emitData('002\r\n');
    await tick();
    expect(lines).toEqual(['SN-0001', 'SN-0002']);
    expect(faults).toEqual(['LINE_TOO_LONG']);
    await scanner.stop();
    expect(ports[0]!.isOpen).toBe(false);
  });

  it('rejects start() with a typed error when the port does not exist', async () => {
    const scanner = new SerialScanner({ path: '/dev/ttyNOPE', portFactory: mockFactory([]) });
    await expect(scanner.start()).rejects.toMatchObject({ name: 'DriverError', code: 'SERIAL_IO' });
    await scanner.stop();
  });

  it('reports a lost port once and reconnects', async () => {
    SerialPortMock.binding.createPort(PATH);
    const ports: SerialPortMock[] = [];
    const scanner = new SerialScanner({ path: PATH, reconnectMs: 5, portFactory: mockFactory(ports) });
    const faults: DriverError[] = [];
    const lines: string[] = [];
    scanner.on('fault', (e) => faults.push(e));
    scanner.on('line', (l) => lines.push(l));
    await scanner.start();
    ports[0]!.close();
    await new Promise((r) => setTimeout(r, 40));
    expect(faults.map((f) => f.code)).toEqual(['SERIAL_IO']);
    expect(ports.length).toBe(2);
    expect(ports[1]!.isOpen).toBe(true);
    ports[1]!.port!.emitData('AGAIN\n');
    await tick();
    expect(lines).toEqual(['AGAIN']);
    await scanner.stop();
  });
});
