import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OnoffGpio } from './onoff-gpio.js';
import { listGpioChips, resolveGpioNumber } from './sysfs-chips.js';

const trees: string[] = [];

/** A /sys/class/gpio lookalike: export/unexport files and one folder per chip. */
function fakeSysfs(chips: { name: string; base: number; ngpio: number; label: string }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'gpio-sysfs-'));
  trees.push(root);
  writeFileSync(join(root, 'export'), '');
  writeFileSync(join(root, 'unexport'), '');
  for (const chip of chips) {
    const dir = join(root, chip.name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'base'), `${chip.base}\n`);
    writeFileSync(join(dir, 'ngpio'), `${chip.ngpio}\n`);
    writeFileSync(join(dir, 'label'), `${chip.label}\n`);
  }
  return root;
}

const PI4 = [
  { name: 'gpiochip512', base: 512, ngpio: 58, label: 'pinctrl-bcm2711' },
  { name: 'gpiochip570', base: 570, ngpio: 8, label: 'raspberrypi-exp-gpio' },
];

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('sysfs GPIO numbering', () => {
  it('lists chips with base, ngpio and label', async () => {
    expect(await listGpioChips(fakeSysfs(PI4))).toEqual(PI4);
  });

  it('adds the SoC chip base to the board line: BCM 17 is sysfs 529 on a 6.x kernel', async () => {
    const root = fakeSysfs(PI4);
    expect(await resolveGpioNumber(17, { root })).toBe(529);
    expect(await resolveGpioNumber(3, { root, chipLabel: 'raspberrypi-exp-gpio' })).toBe(573);
  });

  it('keeps working on an old kernel with base 0', async () => {
    const root = fakeSysfs([{ name: 'gpiochip0', base: 0, ngpio: 54, label: 'pinctrl-bcm2835' }]);
    expect(await resolveGpioNumber(17, { root })).toBe(17);
  });

  it('refuses a line beyond the chip', async () => {
    await expect(resolveGpioNumber(58, { root: fakeSysfs(PI4) })).rejects.toMatchObject({
      code: 'GPIO_LINE_OUT_OF_RANGE',
    });
  });

  it('asks for a label when it cannot tell the chips apart, and names the ones it found', async () => {
    const root = fakeSysfs([
      { name: 'gpiochip0', base: 0, ngpio: 32, label: 'gpio-a' },
      { name: 'gpiochip32', base: 32, ngpio: 32, label: 'gpio-b' },
    ]);
    await expect(resolveGpioNumber(1, { root })).rejects.toMatchObject({
      code: 'GPIO_CHIP_NOT_FOUND',
      message: expect.stringContaining('gpio-b'),
    });
    await expect(resolveGpioNumber(1, { root, chipLabel: 'gpio-c' })).rejects.toMatchObject({
      code: 'GPIO_CHIP_NOT_FOUND',
    });
  });

  it('gives a typed error when sysfs GPIO is absent', async () => {
    const root = join(tmpdir(), 'no-such-gpio-sysfs');
    await expect(resolveGpioNumber(17, { root })).rejects.toMatchObject({
      name: 'DriverError',
      code: 'GPIO_UNAVAILABLE',
    });
    await expect(new OnoffGpio({ root }).output(17, 0)).rejects.toMatchObject({ code: 'GPIO_UNAVAILABLE' });
  });
});
