export * from "./backup-plan";
export * from "./backup-vault";
export * from "./database";
export * from "./restore-testing";
export * from "./secure-bucket";
export * from "./log-bucket";
export * from "./backup-alerts";
export * from "./session-table";
