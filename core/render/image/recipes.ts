import type { RenderedFile } from "../files";
import { SLURMD_BASE, SLURMD_IMAGE_REPOSITORY } from "../../catalog/slurmd-image";
import { LOGIN_BASE, LOGIN_IMAGE_REPOSITORY } from "../../catalog/login-image";
import { RECIPE_ARGS, renderSlurmdRecipe, slurmdRecipeTag } from "./slurmd-recipe";
import { LOGIN_RECIPE_ARGS, renderLoginRecipe } from "./login-recipe";

// The factory's own images: each a recipe in the repository (images/<name>), built by the foundation layer into its
// own repository under the recipe's hash, and resolved to its digest by the layer that runs it. One list, so the
// build, the deploy runner's build-before-deploy and `gigafactory render` treat every image alike.

export type FactoryImageName = "slurmd" | "login";

export interface ImageRecipe {
  name: FactoryImageName;
  /** The ECR repository it is pushed to. */
  repository: string;
  /** The mirrored base it is built from, by the digest of its immutable tag (or the catalog's pin). */
  base: { localRepository: string; tag: string; digest: string | null };
  /** The build arguments the Dockerfile takes: the registry, and the base's digest. */
  args: { registry: string; baseDigest: string };
  files: RenderedFile[];
  /** `recipe-<hash of files>`: immutable. */
  tag: string;
  /** What the image is for, in the build project's description. */
  purpose: string;
}

function recipe(name: FactoryImageName, repository: string, base: typeof SLURMD_BASE | typeof LOGIN_BASE, args: ImageRecipe["args"], files: RenderedFile[], purpose: string): ImageRecipe {
  return { name, repository, base: { localRepository: base.localRepository, tag: base.image.tag, digest: base.digest }, args, files, tag: slurmdRecipeTag(files), purpose };
}

export function slurmdImageRecipe(): ImageRecipe {
  return recipe("slurmd", SLURMD_IMAGE_REPOSITORY, SLURMD_BASE, RECIPE_ARGS, renderSlurmdRecipe(), "the NodeSets' slurmd");
}

export function loginImageRecipe(): ImageRecipe {
  return recipe("login", LOGIN_IMAGE_REPOSITORY, LOGIN_BASE, LOGIN_RECIPE_ARGS, renderLoginRecipe(), "the login pods");
}

/** Every factory image, slurmd first. */
export function imageRecipes(): ImageRecipe[] {
  return [slurmdImageRecipe(), loginImageRecipe()];
}
