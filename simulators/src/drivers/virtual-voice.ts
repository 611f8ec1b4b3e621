import {
  type Announcement,
  checkVoiceVolume,
  DriverError,
  Emitter,
  type Voice,
  type VoiceEvents,
  type VoiceLang,
} from '@scenic/gate-agent/drivers';

export interface SpokenAnnouncement extends Announcement {
  /** Epoch milliseconds when it was "spoken". */
  readonly at: number;
  /** The volume (0–100) it was spoken at; 0 means the gate stayed silent. */
  readonly volume: number;
}

/**
 * A voice that writes instead of speaking: announcements go to an in-memory log, one at a time, each taking
 * `speakMs` (default 0) so queueing and dropping behave as on a gate.
 */
export class VirtualVoice extends Emitter<VoiceEvents> implements Voice {
  readonly log: SpokenAnnouncement[] = [];
  readonly #speakMs: number;
  readonly #maxQueue: number;
  readonly #queue: Announcement[] = [];
  #running = false;
  #speaking = false;
  #timer: NodeJS.Timeout | undefined;
  #volume = 50;

  constructor(options: { readonly speakMs?: number; readonly maxQueue?: number } = {}) {
    super();
    this.#speakMs = options.speakMs ?? 0;
    this.#maxQueue = options.maxQueue ?? 3;
  }

  get volume(): number {
    return this.#volume;
  }

  setVolume(volume: number): void {
    this.#volume = checkVoiceVolume(volume);
  }

  /** The log as text, one "[lang] text" line per announcement. */
  get transcript(): string {
    return this.log.map((a) => `[${a.lang}] ${a.text}`).join('\n');
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#queue.length = 0;
    clearTimeout(this.#timer);
    this.#speaking = false;
  }

  async announce(text: string, lang: VoiceLang): Promise<void> {
    if (text.trim() === '' || text.length > 200 || text.includes('\0')) {
      throw new DriverError('VOICE_TEXT_INVALID', 'announcement text must be 1–200 characters without NUL');
    }
    if (!this.#running) throw new DriverError('NOT_STARTED', 'virtual voice is not started');
    this.#queue.push({ text, lang });
    while (this.#queue.length > this.#maxQueue) this.emit('dropped', this.#queue.shift()!);
    if (!this.#speaking) this.#next();
  }

  #next(): void {
    const next = this.#queue.shift();
    this.#speaking = next !== undefined;
    if (!next) return;
    // Asynchronous even at 0 ms: announce() returns before anything is spoken, as on the gate.
    this.#timer = setTimeout(() => {
      this.log.push({ ...next, at: Date.now(), volume: this.#volume });
      this.emit('spoken', next);
      this.#next();
    }, this.#speakMs);
  }
}
