/**
 * A soft chord pad, computed sample by sample: each chord swells in and out
 * over its bar (so the seams between bars, and the loop point when the length
 * is a whole number of bars, are silent), with a low root, a gentle plucked
 * arpeggio and a small feedback delay for room. Pure and deterministic:
 * the same spec gives the same samples on every machine.
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

/**
 * A sine as a rotating phasor: each sample costs four multiplies instead of
 * a Math.sin (21 million of those made the music a second and a half of
 * CPU). Set from Math.sin/cos at the start of its note, so the error a note
 * accumulates stays near 1e-11, far under one 16-bit step: the samples are
 * the ones Math.sin per sample gave.
 */
class Phasor {
  c = 0;
  s = 0;
  private dc = 1;
  private ds = 0;
  /** At `hz`, at sample `i` of a `rate` stream. */
  set(hz: number, i: number, rate: number): void {
    const w = (2 * Math.PI * hz) / rate;
    this.c = Math.cos(w * i);
    this.s = Math.sin(w * i);
    this.dc = Math.cos(w);
    this.ds = Math.sin(w);
  }
  /** One sample on. */
  advance(): void {
    const c = this.c;
    this.c = c * this.dc - this.s * this.ds;
    this.s = this.s * this.dc + c * this.ds;
  }
}

/** sin(1) and cos(1): the right channel's octave partial is 1 radian ahead of the left's. */
const SIN1 = Math.sin(1);
const COS1 = Math.cos(1);

/** The first sample after `i` whose `key` differs from sample `i`'s (or `end`). */
function runEnd(i: number, end: number, key: (i: number) => number): number {
  const k = key(i);
  let j = i + 1;
  while (j < end && key(j) === k) j++;
  return j;
}

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
  const barOf = (i: number) => Math.floor(i / sampleRate / T);
  // One bar's pad, left and right, summed note by note (in note order, as one sample's sum would be).
  const padL = new Float64Array(Math.ceil(T * sampleRate) + 1);
  const padR = new Float64Array(padL.length);
  const left = new Phasor();
  const right = new Phasor();
  const octave = new Phasor();
  const bass = new Phasor();
  const arp = new Phasor();
  const decay = Math.exp(-5 / sampleRate);
  let lpL = 0;
  let lpR = 0;
  for (let i0 = 0; i0 < frames; ) {
    const bar = barOf(i0);
    const i1 = runEnd(i0, frames, barOf);
    const chord = spec.chords[bar % spec.chords.length] ?? [60];
    const n = i1 - i0;
    padL.fill(0, 0, n);
    padR.fill(0, 0, n);
    chord.forEach((note, k) => {
      const f = midiHz(note);
      // Two detuned partials per note, panned apart, make the pad wide.
      const pan = chord.length > 1 ? k / (chord.length - 1) : 0.5;
      const gl = 1 - 0.4 * pan;
      const gr = 0.6 + 0.4 * pan;
      left.set(f * 1.002, i0, sampleRate);
      right.set(f * 0.998, i0, sampleRate);
      octave.set(2 * f, i0, sampleRate);
      for (let j = 0; j < n; j++) {
        padL[j] = padL[j]! + (left.s + 0.25 * octave.s) * gl;
        padR[j] = padR[j]! + (right.s + 0.25 * (octave.s * COS1 + octave.c * SIN1)) * gr;
        left.advance();
        right.advance();
        octave.advance();
      }
    });
    const norm = 0.16 / Math.max(1, chord.length / 3);
    const root = chord[0] ?? 60;
    bass.set(midiHz(root - 12), i0, sampleRate);
    let plucked = -1;
    let pluckStart = 0;
    let pluckEnv = 0;
    for (let i = i0; i < i1; i++) {
      const t = i / sampleRate;
      const u = t - bar * T;
      const env = Math.min(1, u / fade, (T - u) / fade);
      const swell = env * env * (3 - 2 * env); // smoothstep: no clicks at the edges
      let pluckSample = 0;
      if (pluck > 0) {
        const k = Math.floor(u / pluck);
        if (k !== plucked) {
          plucked = k;
          pluckStart = bar * T + k * pluck;
          pluckEnv = Math.exp(-5 * (t - pluckStart));
          arp.set(midiHz((chord[k % chord.length] ?? root) + 12), i, sampleRate);
        }
        pluckSample = 0.2 * pluckEnv * Math.min(1, (t - pluckStart) * 200) * arp.s;
        pluckEnv *= decay;
        arp.advance();
      }
      const low = 0.22 * bass.s;
      bass.advance();
      const l = (padL[i - i0]! * norm + low + pluckSample) * swell;
      const r = (padR[i - i0]! * norm + low + pluckSample) * swell;
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
    i0 = i1;
  }
  return { sampleRate, channels: 2, samples: out };
}
