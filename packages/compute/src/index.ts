export * from "./fleet";
export * from "./instance-role";
export * from "./load-balancer";
export * from "./network";
export * from "./subnet-layout";
export * from "./volume-key";
export * from "./peering";
