// The spec layer: the factory document, its presets, its validation and the stack files it lives in.
export * from "./schema";
export { PRESET_DEFAULTS, defaultSystemAvailabilityZones, type Defaults } from "./presets";
export { resolveSpec, defaultFactoryName, defaultPlacement, poolNodes, tenantMayUse, type ResolveContext } from "./resolve";
export { validateSpec, VALIDATORS, VALIDATION_FAILED, type ValidateContext, type Validated } from "./validate";
export { loadStack, readTenantsFile, stacksIn, tenantsFilePathProblem, type LoadedStack, type LoadedTenantsFile, type Location } from "./load";
export { formatFinding, hasErrors, type Where } from "./format";
export { filePath, joinPath, specPath, parsePath, REGION_PATH } from "./paths";
export { maxPodsAllowed, MNG_MAX_PODS, MIN_PODS_PER_GPU_NODE } from "./validators/pools";
