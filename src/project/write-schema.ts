/** `npm run schema`: regenerates schemas/drama.schema.json from the zod schema. */
import { writeFile, rename } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderJsonSchema } from "./schema-json.js";

const target = fileURLToPath(new URL("../../schemas/drama.schema.json", import.meta.url));
const temp = `${target}.${process.pid}.tmp`;
await writeFile(temp, renderJsonSchema());
await rename(temp, target);
process.stdout.write(`wrote ${target}\n`);
