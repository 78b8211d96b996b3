/**
 * schemas/drama.schema.json, generated from the zod schema (input side: what
 * a writer types, defaults optional). Draft-07, which yaml-language-server
 * and most editors understand.
 */
import { z } from "zod";
import { lineSchema, projectSchema } from "./schema.js";

export const SCHEMA_ID = "https://dramake.dev/schemas/drama.schema.json";

export function renderJsonSchema(): string {
  const lineInput = (lineSchema as unknown as { _zod: { def: { in?: unknown } } })._zod.def.in;
  const schema = z.toJSONSchema(projectSchema, {
    target: "draft-07",
    io: "input",
    override: (ctx) => {
      // A line is one `speaker: text` pair; zod checks it in code, editors need it spelled out.
      if (ctx.zodSchema === lineSchema || ctx.zodSchema === lineInput) {
        ctx.jsonSchema.minProperties = 1;
        ctx.jsonSchema.maxProperties = 1;
      }
      // Where `${VAR}` applies (schema-walk.ts), a value such as
      // ${OPENAI_BASE_URL:-https://...} has its format only after
      // interpolation; the markers themselves are dramake's, not JSON Schema's.
      if (ctx.jsonSchema.interpolate === true) {
        delete ctx.jsonSchema.format;
        delete ctx.jsonSchema.interpolate;
        delete ctx.jsonSchema.secret;
      }
    },
  });
  return `${JSON.stringify({ ...schema, $id: SCHEMA_ID, title: "dramake project file (drama.yaml), format 1" }, null, 2)}\n`;
}
