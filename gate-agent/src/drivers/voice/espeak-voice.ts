import { Emitter } from '../emitter.js';
import { asDriverError, DriverError } from '../errors.js';
import {
  type Announcement,
  checkVoiceVolume,
  type Voice,
  type VoiceEvents,
  type VoiceLang,
} from '../interfaces.js';
import { ClipCache } from './clip-cache.js';
import { runProcess } from './run-process.js';

export interface EspeakVoiceOptions {
  /** Rendered clips are kept here, one WAV per (voice, speed, amplitude, text). Created at start(). */
  readonly cacheDir: string;
  /** Clips kept; beyond this the least recently played are deleted. Default 500 (~50 MB of Mandarin phrases). */
  readonly maxCachedClips?: number;
  /** The renderer. Default espeak-ng (Debian package espeak-ng). */
  readonly espeak?: string;
  /** The player's argv; the clip path is appended. Default aplay -q (Debian package alsa-utils). */
  readonly player?: readonly string[];
  /** espeak-ng voice per language. Default zh-CN → cmn (Mandarin), en → en. */
  readonly voices?: Partial<Record<VoiceLang, string>>;
  /** Words per minute (espeak-ng -s). Default 150: clear over turnstile noise. */
  readonly wordsPerMinute?: number;
  /**
   * Volume 0–100 until setVolume() is called (the gate config's `voiceVolume`). Default 50, which is espeak-ng's
   * own default amplitude.
   */
  readonly volume?: number;
  /** Announcements waiting beyond this drop the oldest. Default 3. */
  readonly maxQueue?: number;
  /** Longest accepted text in characters. Default 200. */
  readonly maxTextLength?: number;
  /** A renderer or player running longer than this is killed. Default 30 s. */
  readonly processTimeoutMs?: number;
}

const DEFAULT_VOICES: Record<VoiceLang, string> = { 'zh-CN': 'cmn', en: 'en' };

/** espeak-ng's amplitude (-a, 0–200, its default 100) for a 0–100 volume: linear, so volume 50 is the default. */
export function espeakAmplitude(volume: number): number {
  return checkVoiceVolume(volume) * 2;
}

/**
 * Announcements spoken by espeak-ng: each text is rendered once to a WAV
 * (`espeak-ng -v cmn -s 150 -a 160 -w clip.wav -- text`) and cached on disk under a hash of voice, speed,
 * amplitude and text, then played; a gate repeats a handful of phrases all day, so after warm-up playing is all
 * that happens.
 *
 * Volume is rendered into the clip (espeak-ng's -a amplitude), not set at the player: aplay has no volume
 * option, and turning the ALSA mixer would change every sound on the controller and outlive the agent. So the
 * amplitude is part of the clip's cache key; a volume change renders phrases afresh and the clips of the old
 * volume age out of the cache. Volume 0 renders and plays nothing.
 *
 * Why not the `say` package the design names: its Linux platform drives festival (no Mandarin, no clip export, and
 * it splices the text into a Scheme expression unescaped), and its platform base class cannot carry a gate either:
 * it attaches no 'error' listener to the child, so a missing binary (ENOENT) or a renderer that dies before reading
 * stdin (EPIPE) is an uncaught exception that takes the whole agent down, and it reports a non-zero exit as success,
 * which would put a broken clip in the cache. So the platform is written directly: argv arrays (no shell), the
 * text after `--` so a leading '-' is text, never an option.
 */
export class EspeakVoice extends Emitter<VoiceEvents> implements Voice {
  readonly #options: EspeakVoiceOptions;
  readonly #voices: Record<VoiceLang, string>;
  readonly #cache: ClipCache;
  readonly #queue: Announcement[] = [];
  #abort: AbortController | undefined;
  #worker: Promise<void> | undefined;
  #volume: number;

  constructor(options: EspeakVoiceOptions) {
    super();
    this.#options = options;
    this.#volume = checkVoiceVolume(options.volume ?? 50);
    this.#voices = { ...DEFAULT_VOICES, ...options.voices };
    this.#cache = new ClipCache(options.cacheDir, options.maxCachedClips ?? 500);
  }

  get volume(): number {
    return this.#volume;
  }

  /** Applies to every announcement not yet rendered, including those already queued. */
  setVolume(volume: number): void {
    this.#volume = checkVoiceVolume(volume);
  }

  get #espeak(): string {
    return this.#options.espeak ?? 'espeak-ng';
  }

  get #timeoutMs(): number {
    return this.#options.processTimeoutMs ?? 30_000;
  }

  async start(): Promise<void> {
    if (this.#abort) return;
    try {
      await this.#cache.open();
    } catch (err) {
      throw asDriverError(err, 'VOICE_RENDER_FAILED', `voice clip cache ${this.#cache.dir} unusable`);
    }
    // Fail at start, not at the first visitor, when the renderer is missing.
    try {
      const probe = await runProcess(this.#espeak, ['--version'], { timeoutMs: 5000 });
      if (probe.code !== 0) throw new Error(probe.stderr || `exit code ${probe.code}`);
    } catch (err) {
      throw asDriverError(err, 'VOICE_RENDER_FAILED', `voice renderer ${this.#espeak} unusable`);
    }
    this.#abort = new AbortController();
  }

  async stop(): Promise<void> {
    const abort = this.#abort;
    if (!abort) return;
    this.#abort = undefined;
    this.#queue.length = 0;
    abort.abort();
    await this.#worker;
  }

  async announce(text: string, lang: VoiceLang): Promise<void> {
    const max = this.#options.maxTextLength ?? 200;
    if (typeof text !== 'string' || text.trim() === '' || text.length > max || text.includes('\0')) {
      throw new DriverError(
        'VOICE_TEXT_INVALID',
        `announcement text must be 1–${max} characters without NUL`,
      );
    }
    if (!(lang in this.#voices)) throw new DriverError('VOICE_TEXT_INVALID', `no voice for language ${lang}`);
    if (!this.#abort) throw new DriverError('NOT_STARTED', 'voice is not started');
    this.#queue.push({ text, lang });
    while (this.#queue.length > (this.#options.maxQueue ?? 3)) this.emit('dropped', this.#queue.shift()!);
    this.#kick();
  }

  /**
   * Starts the worker unless one runs. An announcement queued after the worker found the queue empty but before
   * its promise settled (a listener of `spoken` queueing one in a microtask) would wait for the next announce():
   * so a finishing worker looks at the queue once more.
   */
  #kick(): void {
    this.#worker ??= this.#drain().finally(() => {
      this.#worker = undefined;
      if (this.#queue.length > 0 && this.#abort) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    // Let announce() and the I/O behind it (the relay write) go first: spawning a child costs milliseconds.
    await new Promise((resolve) => setImmediate(resolve));
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      const signal = this.#abort?.signal;
      if (!signal) return;
      try {
        const volume = this.#volume;
        if (volume > 0) {
          const clip = await this.#clip(next, espeakAmplitude(volume), signal);
          await this.#play(clip, signal);
        }
        this.emit('spoken', next);
      } catch (err) {
        if (signal.aborted) return;
        this.emit('fault', asDriverError(err, 'VOICE_PLAY_FAILED', 'announcement failed'));
      }
    }
  }

  /** The clip's path, rendering it first if it is not cached yet. */
  async #clip(a: Announcement, amplitude: number, signal: AbortSignal): Promise<string> {
    const voice = this.#voices[a.lang];
    const wpm = String(this.#options.wordsPerMinute ?? 150);
    const amp = String(amplitude);
    const clip = this.#cache.pathFor([voice, wpm, amp, a.text]);
    if (await this.#cache.lookup(clip)) return clip;

    const partial = this.#cache.partialFor(clip);
    try {
      const run = await runProcess(
        this.#espeak,
        ['-v', voice, '-s', wpm, '-a', amp, '-w', partial, '--', a.text],
        {
          timeoutMs: this.#timeoutMs,
          signal,
        },
      );
      if (run.code !== 0 || !(await this.#cache.commit(partial, clip))) {
        throw new DriverError(
          'VOICE_RENDER_FAILED',
          `${this.#espeak} failed (exit ${run.code ?? run.signal}): ${run.stderr || 'no clip written'}`,
        );
      }
      return clip;
    } catch (err) {
      await this.#cache.discard(partial);
      throw asDriverError(err, 'VOICE_RENDER_FAILED', `${this.#espeak} could not run`);
    }
  }

  async #play(clip: string, signal: AbortSignal): Promise<void> {
    const [command, ...args] = this.#options.player ?? ['aplay', '-q'];
    if (!command) throw new DriverError('BAD_CONFIG', 'voice player command is empty');
    const run = await runProcess(command, [...args, clip], { timeoutMs: this.#timeoutMs, signal });
    if (run.code !== 0) {
      throw new DriverError(
        'VOICE_PLAY_FAILED',
        `${command} failed (exit ${run.code ?? run.signal}): ${run.stderr}`,
      );
    }
  }
}
