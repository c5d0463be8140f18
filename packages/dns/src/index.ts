export * from "./site-record";
