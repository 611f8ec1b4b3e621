import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { SerialPortFactory } from '../serial/serial-port.js';
import { ledClearFrame, ledTextFrame } from './led-frame.js';
import { SerialLedDisplay } from './serial-led-display.js';

const PATH = '/dev/ttyFAKELED';

function setup() {
  SerialPortMock.binding.createPort(PATH, { record: true });
  const ports: SerialPortMock[] = [];
  const portFactory: SerialPortFactory = ({ path, baudRate }) => {
    const port = new SerialPortMock({ path, baudRate, autoOpen: false });
    ports.push(port);
    return port;
  };
  const led = new SerialLedDisplay({ path: PATH, lines: 2, widthBytes: 8, portFactory });
  const written = () => ports[0]!.port!.recording;
  return { led, written };
}

describe('SerialLedDisplay', () => {
  afterEach(() => SerialPortMock.binding.reset());

  it('clears at start, sends every line (blanking the unused one) and remembers what it shows', async () => {
    const { led, written } = setup();
    await led.start();
    expect(written()).toEqual(ledClearFrame());
    await led.show({ lines: ['欢迎光临景区'], colour: 'yellow' });
    const gb = (hex: string) => Buffer.from(hex, 'hex');
    expect(written()).toEqual(
      Buffer.concat([
        ledClearFrame(),
        ledTextFrame(1, 'yellow', gb('bbb6d3adb9e2c1d9')), // 欢迎光临: 8 bytes, 景区 cut
        ledTextFrame(2, 'yellow', Buffer.alloc(0)),
      ]),
    );
    expect(led.content).toEqual({ lines: ['欢迎光临'], colour: 'yellow' });
    await led.stop();
  });

  it('rejects more lines than the display has, without sending anything', async () => {
    const { led, written } = setup();
    await led.start();
    await expect(led.show({ lines: ['1', '2', '3'] })).rejects.toMatchObject({ code: 'LED_TOO_MANY_LINES' });
    expect(written()).toEqual(ledClearFrame());
    await led.stop();
  });
});
