/**
 * Loudness as data: the momentary loudness (EBU R128, 400 ms windows every
 * 100 ms) that ffmpeg's ebur128 filter logs while a cut or the fitted music is
 * made anyway, and the ITU-R BS.1770 gating that turns such blocks into an
 * integrated loudness. Measured once where the audio is made and kept with it,
 * so the final needs no whole-episode measuring pass: it adds up blocks.
 */

/** Momentary loudness in LUFS every 100 ms (-Infinity for digital silence). */
export interface LoudnessProfile {
  readonly blocks: readonly number[];
}

/** Seconds between blocks: ebur128 reports every 100 ms. */
export const BLOCK_SECONDS = 0.1;

/** The `ebur128` filter to put in an audio chain (it passes audio through unchanged). */
export const EBUR128 = "ebur128";

/**
 * The blocks ebur128 logged in `stderr`, one per 100 ms. Windows that end
 * before 400 ms are partial (ebur128 reports them anyway) and left out, as
 * BS.1770 gating does.
 */
export function parseLoudness(stderr: string): LoudnessProfile | undefined {
  const blocks: number[] = [];
  const re = /\[Parsed_ebur128[^\]]*\]\s*t:\s*([\d.]+)\s.*?\bM:\s*(-?[\d.]+|-?inf|nan)/g;
  let found = false;
  for (let m = re.exec(stderr); m; m = re.exec(stderr)) {
    found = true;
    if (Number(m[1]) < 0.4 - 1e-3) continue;
    const v = Number(m[2]);
    blocks.push(Number.isFinite(v) && v > -70 ? Math.round(v * 100) / 100 : -Infinity);
  }
  return found ? { blocks } : undefined;
}

/** JSON cannot hold -Infinity: silence is stored as null. */
export function loudnessJson(p: LoudnessProfile): string {
  return JSON.stringify({ blocks: p.blocks.map((b) => (Number.isFinite(b) ? b : null)) });
}

export function loudnessFromJson(text: string): LoudnessProfile | undefined {
  try {
    const v = JSON.parse(text) as { blocks?: unknown };
    if (!Array.isArray(v.blocks)) return undefined;
    return { blocks: v.blocks.map((b) => (typeof b === "number" ? b : -Infinity)) };
  } catch {
    return undefined;
  }
}

export const energy = (lufs: number): number => (Number.isFinite(lufs) ? Math.pow(10, (lufs + 0.691) / 10) : 0);
export const lufsOf = (e: number): number => (e > 0 ? -0.691 + 10 * Math.log10(e) : -Infinity);

/** BS.1770 integrated loudness of block energies: absolute gate at -70 LUFS, relative gate 10 LU under. */
export function integratedOf(energies: readonly number[]): number {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const loud = energies.filter((e) => e > energy(-70));
  if (loud.length === 0) return -Infinity;
  const gate = energy(lufsOf(mean(loud)) - 10);
  const kept = loud.filter((e) => e > gate);
  return lufsOf(mean(kept));
}

export interface MixEstimate {
  /** The dialogue, block by block, over the whole episode. */
  readonly dialogue: readonly number[];
  /** The fitted music's blocks (before `musicGain`), or none. */
  readonly music?: readonly number[];
  readonly musicGain: number;
  /** The ducking compressor: threshold (linear amplitude) and ratio. */
  readonly duck: { readonly threshold: number; readonly ratio: number };
}

/**
 * Integrated loudness of dialogue plus music ducked under it, from their
 * blocks alone. Uncorrelated signals add in energy; while someone speaks the
 * compressor keyed by the dialogue takes the music down by its static curve
 * (level over threshold times 1 - 1/ratio). Close to a measurement of the
 * real mix (within about 1 LU), which is what a loudness target needs.
 */
export function mixLoudness(m: MixEstimate): number {
  const thresholdDb = 20 * Math.log10(m.duck.threshold);
  const g2 = m.musicGain * m.musicGain;
  const n = Math.max(m.dialogue.length, m.music?.length ?? 0);
  const energies: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = m.dialogue[i] ?? -Infinity;
    let e = energy(d);
    const mus = m.music?.[i];
    if (mus !== undefined) {
      const over = Number.isFinite(d) ? Math.max(0, d - thresholdDb) : 0;
      const reductionDb = over * (1 - 1 / m.duck.ratio);
      e += energy(mus) * g2 * Math.pow(10, -reductionDb / 10);
    }
    energies.push(e);
  }
  return integratedOf(energies);
}

/**
 * The episode's dialogue blocks from its cuts': each cut's blocks placed at
 * its start, silence where a cut logged fewer blocks than its length holds.
 */
export function joinProfiles(parts: readonly { readonly profile: LoudnessProfile; readonly seconds: number }[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const { profile, seconds } of parts) {
    const start = Math.round(at / BLOCK_SECONDS);
    while (out.length < start) out.push(-Infinity);
    // A cut's first 3 blocks were partial windows (left out): the rest start at 0.4 s into it.
    const first = start + 3;
    while (out.length < first) out.push(-Infinity);
    out.length = Math.min(out.length, first);
    for (const b of profile.blocks) out.push(b);
    at += seconds;
  }
  return out;
}

/**
 * BS.1770's K-weighting (a high shelf, then the RLB high-pass) as biquad
 * coefficients for any sample rate: libebur128's bilinear forms of the
 * standard's analog filters, which at 48 kHz give the standard's table.
 */
function kWeighting(rate: number): { b: number[]; a: number[] }[] {
  const shelf = (() => {
    const f0 = 1681.974450955533, gain = 3.999843853973347, q = 0.7071752369554196;
    const k = Math.tan((Math.PI * f0) / rate);
    const vh = Math.pow(10, gain / 20), vb = Math.pow(vh, 0.4996667741545416);
    const a0 = 1 + k / q + k * k;
    return { b: [(vh + (vb * k) / q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / q + k * k) / a0], a: [1, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0] };
  })();
  const highPass = (() => {
    const f0 = 38.13547087602444, q = 0.5003270373238773;
    const k = Math.tan((Math.PI * f0) / rate);
    const a0 = 1 + k / q + k * k;
    return { b: [1, -2, 1], a: [1, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0] };
  })();
  return [shelf, highPass];
}

/**
 * One channel through both biquads (direct form I, in scalars: this runs on
 * the build's main thread, per sample), its squares added into `perStep`.
 * A function of its own so V8 optimizes the loop once and keeps it: inline
 * in momentaryLoudness, the block loop after it (not yet run) deoptimized
 * the freshly optimized code, and the first two dialogues of a build paid
 * ten times the steady cost.
 */
function addChannelEnergy(samples: Int16Array, channels: number, c: number, step: number, k: Float64Array, perStep: Float64Array): void {
  const sb0 = k[0]!, sb1 = k[1]!, sb2 = k[2]!, sa1 = k[3]!, sa2 = k[4]!;
  const hb0 = k[5]!, hb1 = k[6]!, hb2 = k[7]!, ha1 = k[8]!, ha2 = k[9]!;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
  let i = c;
  for (let s = 0; s < perStep.length; s++) {
    let sum = 0;
    for (let n = 0; n < step; n++, i += channels) {
      const x = samples[i]! / 32768;
      const y = sb0 * x + sb1 * x1 + sb2 * x2 - sa1 * y1 - sa2 * y2;
      x2 = x1;
      x1 = x;
      const z = hb0 * y + hb1 * y1 + hb2 * y2 - ha1 * z1 - ha2 * z2;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      sum += z * z;
    }
    perStep[s] = perStep[s]! + sum;
  }
}

/**
 * The blocks ebur128 would log for this audio (parseLoudness' shape: one
 * every 100 ms from the first full 400 ms window on), computed from the
 * samples where they are made, so the dialogue's loudness is known without
 * another ffmpeg pass. Channels add in energy, as BS.1770's front channels do.
 */
export function momentaryLoudness(pcm: { readonly sampleRate: number; readonly channels: number; readonly samples: Int16Array }): LoudnessProfile {
  const { sampleRate: rate, channels } = pcm;
  const frames = Math.floor(pcm.samples.length / channels);
  const step = Math.round(rate * BLOCK_SECONDS);
  const stages = kWeighting(rate);
  // Squared K-weighted samples, summed over the channels, then summed per 100 ms step.
  const perStep = new Float64Array(Math.floor(frames / step));
  const [shelf, highPass] = stages as [{ b: number[]; a: number[] }, { b: number[]; a: number[] }];
  const coefficients = Float64Array.of(shelf.b[0]!, shelf.b[1]!, shelf.b[2]!, shelf.a[1]!, shelf.a[2]!, highPass.b[0]!, highPass.b[1]!, highPass.b[2]!, highPass.a[1]!, highPass.a[2]!);
  for (let c = 0; c < channels; c++) addChannelEnergy(pcm.samples, channels, c, step, coefficients, perStep);
  const blocks: number[] = [];
  for (let k = 3; k < perStep.length; k++) {
    const meanSquare = (perStep[k - 3]! + perStep[k - 2]! + perStep[k - 1]! + perStep[k]!) / (4 * step);
    const v = lufsOf(meanSquare);
    blocks.push(Number.isFinite(v) && v > -70 ? Math.round(v * 100) / 100 : -Infinity);
  }
  return { blocks };
}
