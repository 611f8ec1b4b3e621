/**
 * The simulator's terminal screen: plain ANSI, redrawn whole on every change, with readline taking the
 * technician's input underneath (a scanner in keyboard-wedge mode types into it just the same).
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ledWidth } from '@scenic/protocol';
import type { GateSim, SimAction, SimState } from './gate-sim.js';
import { DEVICE_STATUS_LABELS, MODE_LABELS } from './labels.js';

const ESC = '\x1b[';
const COLOUR = { red: `${ESC}31m`, green: `${ESC}32m`, yellow: `${ESC}33m` } as const;
const BOLD = `${ESC}1m`;
const DIM = `${ESC}2m`;
const RESET = `${ESC}0m`;
const CLEAR = `${ESC}H${ESC}2J`;

export const HELP =
  '码+回车 扫码 code⏎ scan · c <uid> 刷卡 tap card · l 拿走卡 lift · p 进 walk in · o 出 walk out · w <n> 团队 n 人进 group of n walks in · a 自动通过 auto-pass · j 通道卡住/恢复 jam · q 退出 quit';

/** A typed line as an action; `quit` for q, null for an empty line. Anything else is a scanned code. */
export function parseCommand(line: string): SimAction | 'quit' | null {
  const text = line.trim();
  if (text === '') return null;
  if (text === 'q') return 'quit';
  if (text === 'l') return { kind: 'lift' };
  if (text === 'p') return { kind: 'pass', direction: 'in' };
  if (text === 'o') return { kind: 'pass', direction: 'out' };
  if (text === 'a') return { kind: 'autoPass' };
  if (text === 'j') return { kind: 'jam' };
  const group = /^w\s+(\d{1,3})$/.exec(text);
  if (group) return { kind: 'walk', direction: 'in', persons: Number(group[1]) };
  const card = /^c\s+(\S+)$/.exec(text);
  if (card) return { kind: 'tap', uid: card[1]! };
  return { kind: 'scan', code: text };
}

/** An energised relay as a moving arrow, a released one as a dim bar; `frame` advances the animation. */
function relayIndicator(on: boolean, direction: 'in' | 'out' | 'alarm', frame: number): string {
  if (direction === 'alarm')
    return on ? `${COLOUR.red}${BOLD}${frame % 2 ? '((!))' : '( ! )'}${RESET}` : `${DIM}( · )${RESET}`;
  if (!on) return `${DIM}[  ||  ]${RESET}`;
  const arrow = direction === 'in' ? '>' : '<';
  const cells = Array.from({ length: 6 }, (_, i) =>
    (i + (direction === 'in' ? -frame : frame)) % 3 === 0 ? arrow : ' ',
  );
  return `${COLOUR.green}${BOLD}[${cells.join('')}]${RESET}`;
}

/** A healthy device dim with a tick; a degraded or stuck one in bold red with its status, so it stands out. */
function deviceText(d: SimState['devices'][number]): string {
  if (d.status === 'ok') return `${DIM}${d.zh} ${d.en} ✔${RESET}`;
  const status = DEVICE_STATUS_LABELS[d.status];
  return `${COLOUR.red}${BOLD}${d.zh} ${d.en} ✘ ${status.zh} ${status.en}${RESET}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - ledWidth(text)));
}

function time(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** The whole screen for one state, as text with ANSI colours. */
export function renderScreen(s: SimState, frame = 0, message = ''): string {
  const out: string[] = [];
  const link = s.online ? `${COLOUR.green}● 在线 online${RESET}` : `${COLOUR.red}○ 离线 offline${RESET}`;
  out.push(
    `${BOLD}闸机模拟器 Gate simulator${RESET}  ${s.siteId}/${s.gateId}  方向 ${s.direction === 'in' ? '入 in' : '出 out'}`,
  );
  out.push(`链路 Link ${link}  ${DIM}${s.broker}${RESET}`);
  const mode = MODE_LABELS[s.mode];
  const modeColour =
    s.mode === 'normal' ? COLOUR.green : s.mode === 'emergency_open' ? COLOUR.red : COLOUR.yellow;
  out.push(
    `模式 Mode ${modeColour}${BOLD}${mode.zh} ${mode.en}${RESET}  禁止无权限 deny-unauthorized ${s.denyUnauthorized ? 'on' : 'off'}  配置 config ${s.configVersion === null ? '-' : `v${s.configVersion}`}`,
  );
  out.push(
    `白名单 Whitelist v${s.whitelistVersion} · ${s.whitelistCount} 条 records   待发 Outbox ${s.outboxDepth}`,
  );
  const width = Math.max(16, ...s.led.lines.map(ledWidth));
  out.push(`┌${'─'.repeat(width + 2)}┐ LED`);
  for (const line of s.led.lines.length ? s.led.lines : ['']) {
    out.push(`│ ${COLOUR[s.led.colour]}${BOLD}${pad(line, width)}${RESET} │`);
  }
  out.push(`└${'─'.repeat(width + 2)}┘`);
  out.push(`语音 Voice  ${s.voice === null ? `${DIM}-${RESET}` : `“${s.voice}”`}`);
  out.push(
    `继电器 Relays  入口 entry ${relayIndicator(s.relays.entry, 'in', frame)}  出口 exit ${relayIndicator(s.relays.exit, 'out', frame)}  报警 alarm ${relayIndicator(s.relays.alarm, 'alarm', frame)}`,
  );
  const recycler = s.recycler
    ? `回收器 Recycler ${s.recycler.cardPresent ? '有卡 card in slot' : '空 empty'} · 已回收 bin ${s.recycler.binCount}${s.recycler.last ? ` · 上次 last ${s.recycler.last}` : ''}`
    : '';
  out.push(`读卡器 Reader ${s.card ?? `${DIM}-${RESET}`}   ${recycler}`);
  out.push(
    `自动通过 Auto-pass ${s.autoPass ? `on (${s.autoPassMs} ms)` : 'off'}${s.waiting > 0 ? `  排队 Waiting ${s.waiting}` : ''}  通道卡住 Jam ${s.jammed ? `${COLOUR.red}${BOLD}on${RESET}` : 'off'}`,
  );
  out.push(`设备 Devices  ${s.devices.map(deviceText).join('  ')}`);
  out.push('');
  out.push(`${BOLD}最近判定 Recent decisions${RESET}`);
  if (s.decisions.length === 0) out.push(`${DIM}  (none yet)${RESET}`);
  for (const d of s.decisions.slice(0, 6)) {
    const mark = d.admit ? `${COLOUR.green}✔` : `${COLOUR.red}✘`;
    const ticket = d.ticketId === null ? '' : ` #${d.ticketId}`;
    const left = d.entriesLeft === null ? '' : ` 剩余 left ${d.entriesLeft}`;
    const passed =
      d.passed === false
        ? ' 未通过 no passage'
        : d.persons !== null && d.persons > 1
          ? ` ${d.persons}人 persons`
          : '';
    out.push(
      `  ${time(d.at)} ${mark} ${d.reason}${RESET} ${d.kind ?? '?'}${ticket}${left}${passed}  ${DIM}${d.text}${RESET}`,
    );
  }
  for (const problem of s.problems) out.push(`${COLOUR.yellow}! ${problem}${RESET}`);
  out.push('');
  out.push(`${DIM}${HELP}${RESET}`);
  if (message) out.push(`${COLOUR.yellow}${message}${RESET}`);
  return out.join('\n');
}

export interface TerminalUiOptions {
  readonly sim: GateSim;
  readonly input: Readable;
  readonly output: Writable;
  /** Called after `q`. */
  readonly onQuit: () => void;
}

/** Frames of the relay animation per second while a relay is energised. */
const ANIMATION_MS = 150;

export class TerminalUi {
  readonly #o: TerminalUiOptions;
  readonly #rl: Interface;
  #frame = 0;
  #message = '';
  #pending: NodeJS.Timeout | undefined;
  readonly #animation: NodeJS.Timeout;
  #closed = false;

  constructor(options: TerminalUiOptions) {
    this.#o = options;
    this.#rl = createInterface({
      input: options.input,
      output: options.output,
      terminal: (options.output as { isTTY?: boolean }).isTTY === true,
      prompt: '> ',
    });
    this.#rl.on('line', (line) => this.#onLine(line));
    this.#rl.on('close', () => {
      if (!this.#closed) options.onQuit();
    });
    options.sim.on('change', this.#schedule);
    this.#animation = setInterval(() => {
      const { relays } = options.sim.state;
      if (relays.entry || relays.exit || relays.alarm) {
        this.#frame++;
        this.#draw();
      }
    }, ANIMATION_MS);
    this.#animation.unref();
    this.#draw();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#animation);
    clearTimeout(this.#pending);
    this.#o.sim.off('change', this.#schedule);
    this.#rl.close();
  }

  /** Shows a line under the help until the next command (errors, the browser page's address). */
  notice(message: string): void {
    this.#message = message;
    this.#draw();
  }

  /** Coalesces bursts of changes (LED, voice and relay in one scan) into one redraw. */
  readonly #schedule = () => {
    if (this.#pending || this.#closed) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#draw();
    }, 30);
  };

  #draw(): void {
    if (this.#closed) return;
    this.#o.output.write(`${CLEAR}${renderScreen(this.#o.sim.state, this.#frame, this.#message)}\n`);
    // Rewrites the prompt and whatever has been typed so far below the new screen.
    this.#rl.prompt(true);
  }

  #onLine(line: string): void {
    const command = parseCommand(line);
    if (command === null) return;
    if (command === 'quit') {
      this.close();
      this.#o.onQuit();
      return;
    }
    try {
      this.#o.sim.act(command);
      this.#message = '';
    } catch (err) {
      this.#message = (err as Error).message;
    }
    this.#draw();
  }
}
