/**
 * 16-bit PCM WAV in and out, in memory. Synthesized audio (music, silence) is
 * computed in JS and written here, which makes it exact and reproducible
 * without an ffmpeg expression per sample.
 */

export interface Pcm {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved samples. */
  readonly samples: Int16Array;
}

export function encodeWav(pcm: Pcm): Uint8Array {
  const out = wavWithHeader(1, 16, pcm.channels, pcm.sampleRate, pcm.samples.length * 2);
  new Int16Array(out.buffer, 44).set(pcm.samples);
  return out;
}

/**
 * A WAV file's bytes with its 44-byte header written and room for the data:
 * format 1 (PCM) or 3 (IEEE float), interleaved samples of `bits` each.
 */
export function wavWithHeader(format: 1 | 3, bits: 16 | 32, channels: number, sampleRate: number, dataBytes: number): Uint8Array {
  const buf = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buf);
  const ascii = (off: number, s: string) => [...s].forEach((c, i) => v.setUint8(off + i, c.charCodeAt(0)));
  const bytes = bits / 8;
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * bytes, true);
  v.setUint16(32, channels * bytes, true);
  v.setUint16(34, bits, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  return new Uint8Array(buf);
}

/** Where a WAV's samples are and what they are, from its header. */
export interface WavLayout {
  readonly format: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bits: number;
  /** Byte offsets of the sample data in the file: [start, end). */
  readonly data: readonly [number, number];
}

/**
 * The layout of a WAV file (any chunk layout) from its first bytes through the
 * data chunk's header; `fileLength` bounds the data. Undefined when it is not a WAV.
 */
export function wavLayout(bytes: Uint8Array, fileLength = bytes.length): WavLayout | undefined {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (off: number) => String.fromCharCode(...bytes.subarray(off, off + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return undefined;
  let off = 12;
  let fmt: Omit<WavLayout, "data"> | undefined;
  while (off + 8 <= bytes.length) {
    const id = tag(off);
    const size = v.getUint32(off + 4, true);
    const body = off + 8;
    if (id === "fmt " && body + 16 <= bytes.length) {
      fmt = {
        format: v.getUint16(body, true),
        channels: v.getUint16(body + 2, true),
        sampleRate: v.getUint32(body + 4, true),
        bits: v.getUint16(body + 14, true),
      };
    } else if (id === "data" && fmt) {
      // ffmpeg streaming to a pipe leaves the size unset: take what is there.
      const end = Math.min(fileLength, size === 0xffffffff || size === 0 ? fileLength : body + size);
      return { ...fmt, data: [body, end] };
    }
    off = body + size + (size & 1);
  }
  return undefined;
}

const isPcm16 = (w: WavLayout) => w.bits === 16 && (w.format === 1 || w.format === 0xfffe);

/** Seconds of sound in a 16-bit PCM WAV, from its header; undefined when it is not one. */
export function wavSeconds(bytes: Uint8Array, fileLength = bytes.length): number | undefined {
  const w = wavLayout(bytes, fileLength);
  return w && isPcm16(w) && w.channels > 0 && w.sampleRate > 0 ? Math.floor((w.data[1] - w.data[0]) / 2 / w.channels) / w.sampleRate : undefined;
}

/** Read a 16-bit PCM WAV (any chunk layout); undefined when it is not one. */
export function decodeWav(bytes: Uint8Array): Pcm | undefined {
  const w = wavLayout(bytes);
  if (!w || !isPcm16(w)) return undefined;
  const [body, end] = w.data;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor((end - body) / 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = v.getInt16(body + i * 2, true);
  return { sampleRate: w.sampleRate, channels: w.channels, samples };
}

export function silence(seconds: number, sampleRate: number, channels: number): Pcm {
  return { sampleRate, channels, samples: new Int16Array(Math.round(seconds * sampleRate) * channels) };
}

export function pcmSeconds(pcm: Pcm): number {
  return pcm.samples.length / pcm.channels / pcm.sampleRate;
}
