export * from "./site-record";
export * from "./endpoint-parameters";
