export * from "./app-record";
