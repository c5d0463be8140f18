export * from "./mock-outputs";
export * from "./recorder";
export * from "./run-program";
