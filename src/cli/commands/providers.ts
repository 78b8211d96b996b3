import { JSON_FLAG } from "../flags.js";
import { defineCommand, EXIT_OK } from "../command.js";
import { lengths, presetCatalog } from "../../providers/http-jobs/catalog.js";

const command = defineCommand({
  name: "providers",
  summary: "the video service presets: what each needs, its models with their clip lengths, sound and price",
  details:
    'Use a preset as a provider type: providers: { ark: { type: seedance, api_key: ${ARK_API_KEY} } }, then use: { video: ark }.\nWith --json, one line per preset: {"event":"preset","type","modalities","base_url","needs","docs","models":[{"model","default","seconds","native_audio","usd_per_second"?}]}.',
  args: [],
  flags: { ...JSON_FLAG },
  async run(input): Promise<number> {
    const catalog = presetCatalog();
    if (input.flags.json) {
      for (const p of catalog) {
        const models = p.models.map((m) => ({ model: m.model, default: m.default, seconds: m.seconds, native_audio: m.nativeAudio, ...(m.usdPerSecond !== undefined ? { usd_per_second: m.usdPerSecond } : {}) }));
        process.stdout.write(`${JSON.stringify({ event: "preset", type: p.type, modalities: p.modalities, base_url: p.baseUrl, needs: p.needs, docs: p.docs, models })}\n`);
      }
      return EXIT_OK;
    }
    const lines: string[] = [];
    for (const p of catalog) {
      lines.push(`${p.type}  (${p.modalities.join(", ")})  ${p.baseUrl}`, `  needs: ${p.needs}`);
      for (const m of p.models) {
        const price = m.usdPerSecond !== undefined ? `$${m.usdPerSecond.toFixed(3)}/s` : "price: set prices:";
        lines.push(`  ${m.default ? "*" : " "} ${m.model}  ${lengths(m.seconds)}  ${m.nativeAudio ? "sound" : "silent"}  ${price}`);
      }
    }
    lines.push("", "* the preset's default model; a length between allowed ones is asked for as the next allowed one (the cut trims it).");
    process.stdout.write(`${lines.join("\n")}\n`);
    return EXIT_OK;
  },
});
export default command;
