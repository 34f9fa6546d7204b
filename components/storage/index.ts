export * from "./storage";
export * from "./buckets";
export * from "./bucket-policy";
