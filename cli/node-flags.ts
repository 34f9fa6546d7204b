// The node flags `gigafactory` runs with: bin/gigafactory.js re-executes node with them when they are
// missing, and the benchmark runs its floor with them. Measured with `npm run bench` (numbers in bench/README.md).
export const NODE_FLAGS: readonly string[] = [];
