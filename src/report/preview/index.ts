export {
  startPreviewServer,
  describePreviewError,
  DEFAULT_PREVIEW_PORT,
  type PreviewServer,
  type PreviewServerOptions,
  type PreviewServerError,
} from "./server.js";
