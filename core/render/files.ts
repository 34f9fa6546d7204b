// What every renderer returns: files for `gigafactory render`, their paths relative to the output folder.

/** A file a renderer produces, its path relative to the output folder. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode; 0o644 when absent. */
  mode?: number;
}

// Rendered files name the factory's registry by this variable: its host holds the account id, which only the
// account knows (`envsubst < file | kubectl apply -f -`, as images/mirror.sh computes it).
export const REGISTRY_VARIABLE = "${REGISTRY}";
