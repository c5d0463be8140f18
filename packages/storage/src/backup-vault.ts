import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import type * as kms from "@pulumi/aws/kms";
import { createEncryptionKey, dataOptions } from "@aws-dr/aws-kit";

export interface VaultLock {
  /** Shortest retention a recovery point in the vault may have, in days. */
  minRetentionDays: number;
  /** Longest retention, in days. */
  maxRetentionDays: number;
  /** Grace days (>= 3) before the lock becomes compliance mode and can never be removed. */
  changeableForDays: number;
}

export interface BackupVaultArgs {
  /** AWS Backup Vault Lock; none by default. */
  lock?: VaultLock;
  /** Pulumi protect and retainOnDelete on the vault and its key, and no forceDestroy. */
  protect: boolean;
}

/** An AWS Backup vault encrypted with its own KMS key, optionally under Vault Lock. */
export class BackupVault extends pulumi.ComponentResource {
  readonly vault: backup.Vault;
  readonly kmsKey: kms.Key;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(
    name: string,
    args: BackupVaultArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:BackupVault", name, {}, opts);
    this.kmsKey = createEncryptionKey(`${name}-key`, {
      description: `Encrypts recovery points in the ${name} backup vault`,
      parent: this,
      protect: args.protect,
    });
    this.vault = new backup.Vault(
      name,
      { kmsKeyArn: this.kmsKey.arn, forceDestroy: !args.protect },
      dataOptions(this, args.protect),
    );
    if (args.lock) {
      new backup.VaultLockConfiguration(
        `${name}-lock`,
        {
          backupVaultName: this.vault.name,
          minRetentionDays: args.lock.minRetentionDays,
          maxRetentionDays: args.lock.maxRetentionDays,
          changeableForDays: args.lock.changeableForDays,
        },
        { parent: this },
      );
    }
    this.arn = this.vault.arn;
    this.name = this.vault.name;
    this.registerOutputs({
      arn: this.arn,
      name: this.name,
      kmsKeyArn: this.kmsKey.arn,
    });
  }
}
