/**
 * The contract between the generic engine and whoever builds a graph
 * (src/graph for dramas, synthetic graphs in tests and benchmarks).
 * The engine knows nothing of dramas: a step is an id, parameters, inputs
 * and the op (registered code, engine/ops.ts) or function that writes outputs.
 */

/** JSON that can be hashed canonically. `undefined` members are dropped. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json | undefined };

/** A stored output: content digest (xxhash64 hex), size and a readable path in the store. */
export interface Artifact {
  readonly digest: string;
  readonly size: number;
  /** Absolute path of the object in the store. Read-only: never write to it. */
  readonly path: string;
}

export interface StepContext {
  readonly signal: AbortSignal;
  /** Outputs of each input step, by step id then output name. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, Artifact>>>>;
  /** Input files by project-relative path: absolute path and digest. */
  readonly files: Readonly<Record<string, { readonly path: string; readonly digest: string }>>;
  /** A scratch directory for this run, removed afterwards. */
  readonly tmpDir: string;
  /** Secrets (API keys) handed to the step; never hashed, stored or printed. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Store a file or bytes as the named output. The file is moved into the store. */
  output(name: string, source: { readonly file: string } | { readonly bytes: Uint8Array | string }): Promise<Artifact>;
  /** Money spent by this run, USD; adds up. */
  cost(usd: number): void;
  progress(fraction: number, message?: string): void;
  notice(message: string): void;
  /**
   * A small durable journal private to this step's key (e.g. a remote job id),
   * written atomically at once, so a killed build can resume a paid job.
   */
  /** Which generation of the step this run makes (1 unless the step says otherwise): providers vary seed or picture by it. */
  readonly take: number;
  readonly journal: {
    get(name: string): string | undefined;
    set(name: string, value: string): Promise<void>;
    /**
     * Keeps a paid answer's bytes (a copy of `file`) where a killed run's next
     * try finds them, and journals where they are: `kept(name)` then gives a
     * read-only path to them, so the answer is not bought again. Optional: an
     * executor without a durable place for bytes leaves it out.
     */
    keep?(name: string, file: string): Promise<void>;
    kept?(name: string): string | undefined;
  };
}

export interface StepSpec {
  /** A path such as `scene/the-call/clip`. Unique in a graph. */
  readonly id: string;
  /**
   * The registered op that runs this step (engine/ops.ts), from its params,
   * args, inputs and files alone: such a step can run in another process.
   * Absent: the step's own `run` (in this process only). Not part of the key.
   */
  readonly op?: string;
  /**
   * What the op reads besides params that is not hashed, because it changes no
   * output or an input's key already holds it (see execute/types.ts StepJob.args).
   */
  readonly args?: Json;
  /** Step kind, e.g. `image`, `ffmpeg`; part of the key. */
  readonly kind: string;
  /** Bump when the implementation changes its output for the same inputs. */
  readonly version: number;
  /** Everything that determines the output besides inputs; hashed canonically. */
  readonly params: Json;
  /** Step ids whose outputs this step reads. */
  readonly inputs: readonly string[];
  /** Project-relative paths of files this step reads. */
  readonly files: readonly string[];
  /** Concurrency pool, e.g. `cloud:image`, `ffmpeg`. */
  readonly pool: string;
  /**
   * Roughly how long a run takes, relative to a typical step's 1 (e.g. seconds
   * of video to encode): orders waiting steps by the longest chain of work
   * after them. Not part of the key; a wrong guess only costs speed.
   */
  readonly weight?: number;
  /** USD a run is expected to cost, for plan and budget. 0 for local work. */
  readonly estimate?: number;
  /**
   * Set when a run is paid but its price is not known (a model no price list
   * names): says how to give it one. Plan shows "price unknown"; a build with
   * a budget refuses to run it, since the budget could not be kept.
   */
  readonly unpriced?: string;
  /** Remote, paid work: when no longer wanted mid-run, let it finish and cache it. */
  readonly remote?: boolean;
  /** Outputs copied (hardlinked) into the build directory: output name -> build-relative path. */
  readonly materialize?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * Takes (DESIGN §3): a step whose output is a random generation may be made
   * again from the same inputs. Take N > 1 is part of the key, so every take
   * is its own cache entry, and choosing one again restores it; take 1 (or
   * none) keys exactly as a step without takes. Recorded in the action record
   * and the lockfile.
   */
  readonly take?: number;
  /** The step's own code, when it has no registered `op` (or runs in this process only). */
  run?(ctx: StepContext): Promise<void>;
}
