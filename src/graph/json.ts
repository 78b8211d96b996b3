import type { Json } from "../engine/step.js";

/**
 * A plain-data copy of a request object as step parameters. Going through
 * JSON drops `undefined` members and anything that is not data, which is
 * exactly what a key must not depend on.
 */
export function asJson(value: object): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
