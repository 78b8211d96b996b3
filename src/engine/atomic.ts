/** The engine's atomic writes; the one implementation lives in src/atomic.ts (project/ needs it too). */
export { tempBeside, writeFileAtomic } from "../atomic.js";
