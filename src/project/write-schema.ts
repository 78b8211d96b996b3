/** `npm run schema`: regenerates the JSON Schemas in schemas/ from the zod schema. */
import { writeFile, rename } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { SCHEMA_FILES } from "./schema-json.js";

for (const { name, render } of SCHEMA_FILES) {
  const target = fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url));
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, render());
  await rename(temp, target);
  process.stdout.write(`wrote ${target}\n`);
}
