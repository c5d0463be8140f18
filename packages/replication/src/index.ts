export * from "./bucket-replication";
