export type {
  StoryboardModel,
  StoryboardScene,
  StoryboardShot,
  StoryboardLine,
  StoryboardTotals,
  StoryboardFinal,
  SceneState,
  SceneFailure,
} from "./model.js";
export { renderStoryboard, renderWaitingPage } from "./render.js";
export { writeStoryboard, STORYBOARD_FILE, type StoryboardWriteFailed } from "./write.js";
