/**
 * The part of a vertical frame a platform's own interface leaves visible
 * (captions, buttons and names cover the rest), as fractions of the frame so
 * one area serves a 720x1280 cut and a 1080x1920 delivery alike.
 */
export interface SafeArea {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** The area inside every one of `areas` (the largest margin on each side). */
export function intersectSafeAreas(areas: readonly SafeArea[]): SafeArea | undefined {
  if (areas.length === 0) return undefined;
  return {
    top: Math.max(...areas.map((a) => a.top)),
    bottom: Math.max(...areas.map((a) => a.bottom)),
    left: Math.max(...areas.map((a) => a.left)),
    right: Math.max(...areas.map((a) => a.right)),
  };
}

/** The area in pixels of a frame: the rectangle [x0, x1) x [y0, y1). */
export function safeRect(area: SafeArea, size: { readonly width: number; readonly height: number }) {
  return {
    x0: Math.ceil(area.left * size.width),
    x1: Math.floor((1 - area.right) * size.width),
    y0: Math.ceil(area.top * size.height),
    y1: Math.floor((1 - area.bottom) * size.height),
  };
}
