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

/*
 * The per-sample loops live in small top-level functions rather than inline
 * in synthPad: V8 optimizes each on its first long loop and keeps it, where
 * one big function deoptimized three times on its first call (branches it had
 * not run yet), which made the first synthesis of a build ~2.5x its steady
 * cost, all of it on the build's main thread. The arithmetic and its order
 * are unchanged, so are the samples.
 */

/** One note's two detuned partials and its octave, added into a bar's left and right pad. */
function addNote(padL: Float64Array, padR: Float64Array, n: number, left: Phasor, right: Phasor, octave: Phasor, gl: number, gr: number): void {
  for (let j = 0; j < n; j++) {
    padL[j] = padL[j]! + (left.s + 0.25 * octave.s) * gl;
    padR[j] = padR[j]! + (right.s + 0.25 * (octave.s * COS1 + octave.c * SIN1)) * gr;
    left.advance();
    right.advance();
    octave.advance();
  }
}

/** What carries from one bar to the next: the voices, the low-pass and the delay line. */
interface Voice {
  readonly sampleRate: number;
  readonly T: number;
  readonly fade: number;
  readonly pluck: number;
  readonly alpha: number;
  readonly decay: number;
  readonly echoL: Float64Array;
  readonly echoR: Float64Array;
  readonly bass: Phasor;
  readonly arp: Phasor;
  lpL: number;
  lpR: number;
}

/** Samples i0..i1 of bar `bar`: its summed pad, the bass, the arpeggio, the low-pass and the room. */
function renderBar(v: Voice, out: Int16Array, bar: number, i0: number, i1: number, chord: readonly number[], padL: Float64Array, padR: Float64Array): void {
  const { sampleRate, T, fade, pluck, alpha, decay, echoL, echoR, bass, arp } = v;
  const delay = echoL.length;
  const norm = 0.16 / Math.max(1, chord.length / 3);
  const root = chord[0] ?? 60;
  bass.set(midiHz(root - 12), i0, sampleRate);
  let plucked = -1;
  let pluckStart = 0;
  let pluckEnv = 0;
  let lpL = v.lpL;
  let lpR = v.lpR;
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
    const eL = lpL + 0.3 * echoR[j]!;
    const eR = lpR + 0.3 * echoL[j]!;
    echoL[j] = eL;
    echoR[j] = eR;
    out[i * 2] = Math.round(Math.max(-1, Math.min(1, eL * 0.8)) * 32767);
    out[i * 2 + 1] = Math.round(Math.max(-1, Math.min(1, eR * 0.8)) * 32767);
    // Kept in the loop, not after it: a store V8 has not yet seen run deoptimizes the loop it just optimized.
    v.lpL = lpL;
    v.lpR = lpR;
  }
}

export function synthPad(spec: PadSpec, seconds: number, sampleRate = 48000): Pcm {
  const frames = Math.round(seconds * sampleRate);
  const out = new Int16Array(frames * 2);
  const T = spec.secondsPerChord;
  const cutoff = 600 + 3400 * spec.brightness;
  const delay = Math.round(0.23 * sampleRate);
  const voice: Voice = {
    sampleRate,
    T,
    fade: Math.min(1.2, T / 3),
    pluck: spec.plucksPerChord > 0 ? T / spec.plucksPerChord : 0,
    alpha: 1 - Math.exp((-2 * Math.PI * cutoff) / sampleRate),
    decay: Math.exp(-5 / sampleRate),
    echoL: new Float64Array(delay),
    echoR: new Float64Array(delay),
    bass: new Phasor(),
    arp: new Phasor(),
    lpL: 0,
    lpR: 0,
  };
  const barOf = (i: number) => Math.floor(i / sampleRate / T);
  // One bar's pad, left and right, summed note by note (in note order, as one sample's sum would be).
  const padL = new Float64Array(Math.ceil(T * sampleRate) + 1);
  const padR = new Float64Array(padL.length);
  const left = new Phasor();
  const right = new Phasor();
  const octave = new Phasor();
  for (let i0 = 0; i0 < frames; ) {
    const bar = barOf(i0);
    const i1 = runEnd(i0, frames, barOf);
    const chord = spec.chords[bar % spec.chords.length] ?? [60];
    const n = i1 - i0;
    padL.fill(0, 0, n);
    padR.fill(0, 0, n);
    for (let k = 0; k < chord.length; k++) {
      const f = midiHz(chord[k]!);
      // Two detuned partials per note, panned apart, make the pad wide.
      const pan = chord.length > 1 ? k / (chord.length - 1) : 0.5;
      left.set(f * 1.002, i0, sampleRate);
      right.set(f * 0.998, i0, sampleRate);
      octave.set(2 * f, i0, sampleRate);
      addNote(padL, padR, n, left, right, octave, 1 - 0.4 * pan, 0.6 + 0.4 * pan);
    }
    renderBar(voice, out, bar, i0, i1, chord, padL, padR);
    i0 = i1;
  }
  return { sampleRate, channels: 2, samples: out };
}
