/**
 * The JSON Schemas in schemas/, generated from the zod schema (input side:
 * what a writer types, defaults optional). Draft-07, which
 * yaml-language-server and most editors understand. One per kind of file:
 * the project file, an episode file (`include: episodes/03.yaml`), and a file
 * named by a top-level `include:`, so editors complete in all of them.
 */
import { z } from "zod";
import { episodeSchema, includeFileSchema, lineSchema, projectSchema } from "./schema.js";

export const SCHEMA_ID = "https://dramake.dev/schemas/drama.schema.json";

export interface SchemaFile {
  /** File name under schemas/. */
  readonly name: string;
  readonly render: () => string;
}

function render(root: z.ZodType, id: string, title: string): string {
  const lineInput = (lineSchema as unknown as { _zod: { def: { in?: unknown } } })._zod.def.in;
  const schema = z.toJSONSchema(root, {
    target: "draft-07",
    io: "input",
    override: (ctx) => {
      // A line is one `speaker: text` pair; zod checks it in code, editors need it spelled out.
      if (ctx.zodSchema === lineSchema || ctx.zodSchema === lineInput) {
        ctx.jsonSchema.minProperties = 1;
        ctx.jsonSchema.maxProperties = 1;
      }
      // A project has scenes (one episode) or episodes (a series): checks.ts says so in words, editors need it as a rule.
      if (ctx.zodSchema === projectSchema) {
        ctx.jsonSchema.oneOf = [
          { required: ["scenes"], not: { required: ["episodes"] } },
          { required: ["episodes"], not: { required: ["scenes"] } },
        ];
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
  return `${JSON.stringify({ ...schema, $id: id, title }, null, 2)}\n`;
}

export function renderJsonSchema(): string {
  return render(projectSchema, SCHEMA_ID, "dramake project file (drama.yaml), format 1");
}

export const SCHEMA_FILES: readonly SchemaFile[] = [
  { name: "drama.schema.json", render: renderJsonSchema },
  { name: "episode.schema.json", render: () => render(episodeSchema, "https://dramake.dev/schemas/episode.schema.json", "dramake episode file (include: episodes/NN.yaml)") },
  { name: "include.schema.json", render: () => render(includeFileSchema, "https://dramake.dev/schemas/include.schema.json", "dramake included file (include: [cast.yaml])") },
];
