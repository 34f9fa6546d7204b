export * from "./network";
export * from "./security-rules";
