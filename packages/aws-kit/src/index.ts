export * from "./alert-topic";
export * from "./encryption-key";
export * from "./iam";
export * from "./naming";
export * from "./protection";
export * from "./providers";
