/**
 * When `watch` starts a build after saves: DEBOUNCE_MS after the last save,
 * and no sooner than MIN_GAP_MS after the previous build started, so a burst
 * of saves within a second costs at most two builds (not one aborted build per
 * pause between saves). Its own module, with the clock a parameter, so the
 * rule is tested on a controlled clock instead of real pauses.
 */

/** Quiet time after the last save before a build starts: editors write a file in more than one go. */
export const DEBOUNCE_MS = 150;
/** Least time between the starts of two builds. */
export const MIN_GAP_MS = 1000;

export class SaveDebounce {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastChangeAt = 0;
  private lastBuildAt = -Infinity;
  /** The wait chosen at the last save (reported with the build it started). */
  quietMs = DEBOUNCE_MS;

  /** `fire` is called once the saves have gone quiet; `now` is in ms (timers are the global ones, which a test may mock). */
  constructor(
    private readonly fire: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A save: (re)start the wait. */
  saved(): void {
    this.lastChangeAt = this.now();
    clearTimeout(this.timer);
    this.quietMs = Math.max(DEBOUNCE_MS, Math.ceil(this.lastBuildAt + MIN_GAP_MS - this.lastChangeAt));
    this.timer = setTimeout(() => this.fire(), this.quietMs);
  }

  /** A build starts now: the next one waits for the gap. Returns the ms since the last save. */
  building(): number {
    this.lastBuildAt = this.now();
    return Math.round(this.lastBuildAt - this.lastChangeAt);
  }

  /** No build for the saves so far (stopping). */
  cancel(): void {
    clearTimeout(this.timer);
  }
}
