export * from "./types";
export * from "./instances";
export * from "./regions";
export * from "./quotas";
export * from "./prices";
export * from "./endpoints";
