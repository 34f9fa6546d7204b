/** The folders `render` writes under --out, one per renderer, in order (render-run.ts RENDERERS holds one of each). */
export const RENDER_FOLDERS = ["slurm", "kubernetes", "images", "health", "acceptance", "observability"] as const;

export type RenderFolder = (typeof RENDER_FOLDERS)[number];
