/**
 * A soft chord pad, computed sample by sample: each chord swells in and out
 * over its bar (so the seams between bars, and the loop point when the length
 * is a whole number of bars, are silent), with a low root, a gentle plucked
 * arpeggio and a small feedback delay for room. Pure and deterministic.
 */
import type { Pcm } from "./wav.js";

export interface PadSpec {
  /** Chords as MIDI note numbers, played in turn and repeated. */
  readonly chords: readonly (readonly number[])[];
  readonly secondsPerChord: number;
  /** Plucks per chord for the arpeggio; 0 for a pure pad. */
  readonly plucksPerChord: number;
  /** Overall brightness 0..1 (one-pole low-pass cutoff). */
  readonly brightness: number;
}

const midiHz = (n: number) => 440 * Math.pow(2, (n - 69) / 12);

export function synthPad(spec: PadSpec, seconds: number, sampleRate = 48000): Pcm {
  const frames = Math.round(seconds * sampleRate);
  const out = new Int16Array(frames * 2);
  const T = spec.secondsPerChord;
  const fade = Math.min(1.2, T / 3);
  const pluck = spec.plucksPerChord > 0 ? T / spec.plucksPerChord : 0;
  const cutoff = 600 + 3400 * spec.brightness;
  const alpha = 1 - Math.exp((-2 * Math.PI * cutoff) / sampleRate);
  const delay = Math.round(0.23 * sampleRate);
  const echoL = new Float64Array(delay);
  const echoR = new Float64Array(delay);
  let lpL = 0;
  let lpR = 0;
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    const bar = Math.floor(t / T);
    const u = t - bar * T;
    const chord = spec.chords[bar % spec.chords.length] ?? [60];
    const env = Math.min(1, u / fade, (T - u) / fade);
    const swell = env * env * (3 - 2 * env); // smoothstep: no clicks at the edges
    let l = 0;
    let r = 0;
    chord.forEach((note, k) => {
      const f = midiHz(note);
      // Two detuned partials per note, panned apart, make the pad wide.
      const a = Math.sin(2 * Math.PI * f * 1.002 * t) + 0.25 * Math.sin(4 * Math.PI * f * t);
      const b = Math.sin(2 * Math.PI * f * 0.998 * t) + 0.25 * Math.sin(4 * Math.PI * f * t + 1);
      const pan = chord.length > 1 ? k / (chord.length - 1) : 0.5;
      l += a * (1 - 0.4 * pan);
      r += b * (0.6 + 0.4 * pan);
    });
    const norm = 0.16 / Math.max(1, chord.length / 3);
    const root = chord[0] ?? 60;
    const bass = 0.22 * Math.sin(2 * Math.PI * midiHz(root - 12) * t);
    let arp = 0;
    if (pluck > 0) {
      const k = Math.floor(u / pluck);
      const since = u - k * pluck;
      const note = (chord[k % chord.length] ?? root) + 12;
      arp = 0.2 * Math.exp(-5 * since) * Math.min(1, since * 200) * Math.sin(2 * Math.PI * midiHz(note) * t);
    }
    l = (l * norm + bass + arp) * swell;
    r = (r * norm + bass + arp) * swell;
    lpL += alpha * (l - lpL);
    lpR += alpha * (r - lpR);
    const j = i % delay;
    // Cross-fed delay: the left echo returns on the right, like a small room.
    const eL = lpL + 0.3 * (echoR[j] ?? 0);
    const eR = lpR + 0.3 * (echoL[j] ?? 0);
    echoL[j] = eL;
    echoR[j] = eR;
    out[i * 2] = Math.round(Math.max(-1, Math.min(1, eL * 0.8)) * 32767);
    out[i * 2 + 1] = Math.round(Math.max(-1, Math.min(1, eR * 0.8)) * 32767);
  }
  return { sampleRate, channels: 2, samples: out };
}
