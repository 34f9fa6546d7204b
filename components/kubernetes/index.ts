export * from "./addons";
export * from "./cluster";
export * from "./iam";
export * from "./kubeconfig";
export * from "./service-cidr";
export * from "./tier";
export * from "./validate";
