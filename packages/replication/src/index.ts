export * from "./bucket-replication";
export * from "./rpo-alarms";
