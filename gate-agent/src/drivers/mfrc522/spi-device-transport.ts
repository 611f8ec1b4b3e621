import spi from 'spi-device';
import { asDriverError } from '../errors.js';
import type { SpiTransport } from './spi-transport.js';

export interface SpiDeviceOptions {
  /** /dev/spidev<bus>.<device>; a Raspberry Pi's MFRC522 on CE0 is bus 0, device 0. */
  readonly bus?: number;
  readonly device?: number;
  /** The MFRC522 accepts up to 10 MHz; 1 MHz is robust over the flying leads found in turnstile cabinets. */
  readonly speedHz?: number;
}

/** Opens /dev/spidevB.D in SPI mode 0 (the MFRC522's mode). Rejects with SPI_IO when the device node is absent. */
export function openSpiDevice(options: SpiDeviceOptions = {}): Promise<SpiTransport> {
  const bus = options.bus ?? 0;
  const deviceNo = options.device ?? 0;
  const speedHz = options.speedHz ?? 1_000_000;
  const name = `/dev/spidev${bus}.${deviceNo}`;
  return new Promise((resolve, reject) => {
    const device = spi.open(bus, deviceNo, { mode: 0, maxSpeedHz: speedHz }, (err) => {
      if (err) {
        reject(asDriverError(err, 'SPI_IO', `cannot open ${name}`));
        return;
      }
      resolve({
        transfer: (data) =>
          new Promise((done, fail) => {
            const message = [
              {
                sendBuffer: Buffer.from(data),
                receiveBuffer: Buffer.alloc(data.length),
                byteLength: data.length,
                speedHz,
              },
            ];
            device.transfer(message, (transferErr, result) => {
              if (transferErr) fail(asDriverError(transferErr, 'SPI_IO', `SPI transfer on ${name} failed`));
              else done(new Uint8Array(result[0]!.receiveBuffer!));
            });
          }),
        close: () => new Promise((done) => device.close(() => done())),
      });
    });
  });
}
