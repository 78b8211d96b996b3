/** The project file API: what the CLI, the graph and library users import. */
export { loadProject, readSources, PROJECT_FILE, MAX_PROJECT_BYTES } from "./load.js";
export type { LoadProjectOptions } from "./load.js";
export { formatDiagnostics } from "./diagnostic.js";
export type { Diagnostic, Severity, Sources, FormatOptions } from "./diagnostic.js";
export type { Project, ResolvedFormat, ResolvedProvider, ResolvedScene } from "./project.js";
export { ProjectSecrets } from "./project.js";
export { projectSchema } from "./schema.js";
export type { Drama, Scene, Line, CastMember, Voice, ProviderConfig, Music, Modality } from "./schema.js";
