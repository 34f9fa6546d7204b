export * from "./access";
export * from "./namespace-objects";
export * from "./network-policy";
export * from "./objects";
export * from "./reserved";
export * from "./tenant";
