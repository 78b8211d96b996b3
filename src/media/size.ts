/**
 * A frame size in pixels. It lives in the media layer because drawing, panning
 * and subtitles need it; providers import it from here (media sits above
 * providers in DESIGN §6), so neither layer reaches up into the other.
 */
export interface Size {
  readonly width: number;
  readonly height: number;
}
