/**
 * Where a board GPIO line lives in sysfs. Since Linux 6.x the GPIO chips get dynamic bases (e.g. 512 on current
 * Raspberry Pi OS), so "BCM 17" is sysfs GPIO 529 there and 17 on older kernels. We configure board line numbers
 * and add the base of the chip read from /sys/class/gpio/gpiochip* at start.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DriverError } from '../errors.js';

export const SYSFS_GPIO_ROOT = '/sys/class/gpio';

export interface GpioChipInfo {
  /** Directory name, e.g. gpiochip512. */
  readonly name: string;
  readonly base: number;
  readonly ngpio: number;
  /** Driver label, e.g. pinctrl-bcm2711 (Pi 4), pinctrl-bcm2835 (Pi 3), pinctrl-rp1 (Pi 5). */
  readonly label: string;
}

export interface GpioChipSelector {
  /** Defaults to /sys/class/gpio; tests point it at a temporary tree. */
  readonly root?: string;
  /**
   * The chip's label. Without one: the only chip, else the only chip labelled pinctrl-* (the SoC's own pins
   * rather than an expander); anything else is ambiguous and must be configured.
   */
  readonly chipLabel?: string;
}

async function readText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** Lists the GPIO chips; GPIO_UNAVAILABLE when the kernel has no sysfs GPIO interface. */
export async function listGpioChips(root = SYSFS_GPIO_ROOT): Promise<GpioChipInfo[]> {
  try {
    await access(join(root, 'export'));
  } catch (err) {
    throw new DriverError(
      'GPIO_UNAVAILABLE',
      `sysfs GPIO is not available (${join(root, 'export')} missing): the kernel needs CONFIG_GPIO_SYSFS`,
      { cause: err },
    );
  }
  const names = (await readdir(root)).filter((n) => /^gpiochip\d+$/.test(n)).sort();
  const chips: GpioChipInfo[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const [base, ngpio, label] = await Promise.all([
      readText(join(dir, 'base')),
      readText(join(dir, 'ngpio')),
      readText(join(dir, 'label')).catch(() => ''),
    ]);
    chips.push({ name, base: Number.parseInt(base, 10), ngpio: Number.parseInt(ngpio, 10), label });
  }
  return chips;
}

export function pickGpioChip(chips: readonly GpioChipInfo[], chipLabel?: string): GpioChipInfo {
  const describe = () => chips.map((c) => `${c.name} "${c.label}"`).join(', ') || 'none';
  if (chipLabel !== undefined) {
    const chip = chips.find((c) => c.label === chipLabel);
    if (!chip)
      throw new DriverError(
        'GPIO_CHIP_NOT_FOUND',
        `no GPIO chip labelled "${chipLabel}" (found: ${describe()})`,
      );
    return chip;
  }
  if (chips.length === 1) return chips[0]!;
  const soc = chips.filter((c) => c.label.startsWith('pinctrl-'));
  if (soc.length === 1) return soc[0]!;
  throw new DriverError(
    'GPIO_CHIP_NOT_FOUND',
    `cannot tell which GPIO chip to use (found: ${describe()}); configure its label`,
  );
}

/** The sysfs GPIO number of `line` on the selected chip: base + line, range-checked against ngpio. */
export function gpioNumber(chip: GpioChipInfo, line: number): number {
  if (!Number.isInteger(line) || line < 0 || line >= chip.ngpio) {
    throw new DriverError(
      'GPIO_LINE_OUT_OF_RANGE',
      `GPIO line ${line} is not on ${chip.name} "${chip.label}" (lines 0–${chip.ngpio - 1})`,
    );
  }
  return chip.base + line;
}

export async function resolveGpioNumber(line: number, selector: GpioChipSelector = {}): Promise<number> {
  return gpioNumber(pickGpioChip(await listGpioChips(selector.root), selector.chipLabel), line);
}
