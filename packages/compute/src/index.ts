export * from "./fleet";
export * from "./load-balancer";
export * from "./network";
