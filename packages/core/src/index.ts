export * from "./config";
export * from "./iam";
export * from "./naming";
export * from "./providers";
export * from "./tiers";
export * from "./validators";
export * from "./objectives";
export * from "./alert-topic";
