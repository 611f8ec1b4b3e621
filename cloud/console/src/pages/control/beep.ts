/**
 * The occupancy alarm: short tones generated with WebAudio (no sound files). One tone at 80 %, two at 90 %, three
 * higher ones at 95 %. Browsers start audio only after the operator has interacted with the page; until then the
 * context stays suspended and the beep is silently skipped (the banner still shows). The mute choice is kept on
 * this terminal.
 */
const MUTE_KEY = 'console.control.muted';

let context: AudioContext | undefined;

export function isMuted(): boolean {
  return globalThis.localStorage?.getItem(MUTE_KEY) === '1';
}

export function setMuted(muted: boolean): void {
  globalThis.localStorage?.setItem(MUTE_KEY, muted ? '1' : '0');
}

/** Tones for an alert level: how many, and their pitch. */
export function tonesFor(level: number): { count: number; hz: number } {
  if (level >= 95) return { count: 3, hz: 1320 };
  if (level >= 90) return { count: 2, hz: 988 };
  return { count: 1, hz: 880 };
}

export function beep(level: number): void {
  const Context = globalThis.AudioContext;
  if (!Context) return;
  context ??= new Context();
  const audio = context;
  if (audio.state === 'suspended') void audio.resume().catch(() => {});
  const { count, hz } = tonesFor(level);
  const start = audio.currentTime + 0.02;
  for (let i = 0; i < count; i++) {
    const at = start + i * 0.3;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = hz;
    // A short attack and release: no click at either end.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.22);
  }
}
