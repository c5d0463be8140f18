import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * The database master password: the `dr:databasePassword` secret when set, else generated once and
 * kept (secret) in the stack's state. Never printed.
 */
export function databasePassword(configured?: string): pulumi.Output<string> {
  if (configured) return pulumi.secret(configured);
  // RDS rejects / @ " and spaces in master passwords.
  return new random.RandomPassword("database-password", {
    length: 32,
    special: true,
    overrideSpecial: "!#$%&*()-_=+[]{}<>:?",
  }).result;
}
