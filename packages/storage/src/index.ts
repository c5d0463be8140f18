export * from "./database";
export * from "./encryption-key";
export * from "./secure-bucket";
