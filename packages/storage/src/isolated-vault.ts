import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import * as ram from "@pulumi/aws/ram";
import { dataOptions } from "@aws-dr/aws-kit";

export interface IsolatedVaultArgs {
  /** The vault's name: 2 to 50 letters, digits, hyphens or underscores, unique in the region. */
  name: string;
  /** Shortest retention the vault accepts, in days (AWS minimum 7). Fixed at creation. */
  minRetentionDays: number;
  /** Longest retention the vault accepts, in days. Fixed at creation. */
  maxRetentionDays: number;
  /** Account the vault is shared with through AWS RAM, to restore from; none by default. */
  shareWithAccountId?: string;
  /** Pulumi protect on the vault (it is always retained on delete). */
  protect: boolean;
}

/**
 * A logically air-gapped AWS Backup vault: its recovery points live in an AWS-owned account under a
 * compliance lock nobody can lift, encrypted with an AWS-owned key, so administrator in this account
 * cannot delete them. Optionally shared with a recovery account through AWS RAM, which can then
 * restore them without this account's credentials.
 */
export class IsolatedVault extends pulumi.ComponentResource {
  readonly vault: backup.LogicallyAirGappedVault;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  /** The RAM share's ARN, where the vault is shared. */
  readonly shareArn?: pulumi.Output<string>;

  constructor(
    name: string,
    args: IsolatedVaultArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:storage:IsolatedVault", name, {}, opts);
    // No encryptionKeyArn: the AWS-owned key is the one nobody in this account can disable or
    // schedule for deletion (a customer key in this account is exactly what an attacker here holds).
    this.vault = new backup.LogicallyAirGappedVault(
      name,
      {
        name: args.name,
        minRetentionDays: args.minRetentionDays,
        maxRetentionDays: args.maxRetentionDays,
      },
      // Retained even where unguarded: the provider takes AWS's refusal to delete a vault holding
      // copies for success, so the stack would forget a vault whose name a new one then collides with.
      { ...dataOptions(this, args.protect), retainOnDelete: true },
    );
    if (args.shareWithAccountId) {
      const parent = { parent: this };
      // Only the named account, which may be in another organization (AWS recommends a recovery
      // account outside the one an attacker may hold): it accepts the share's invitation
      // (docs/runbooks/isolated-backup-restore.md). The principal list, not this flag, limits it.
      const share = new ram.ResourceShare(
        `${name}-share`,
        { allowExternalPrincipals: true },
        parent,
      );
      new ram.ResourceAssociation(
        `${name}-share-vault`,
        { resourceArn: this.vault.arn, resourceShareArn: share.arn },
        parent,
      );
      new ram.PrincipalAssociation(
        `${name}-share-account`,
        { principal: args.shareWithAccountId, resourceShareArn: share.arn },
        parent,
      );
      this.shareArn = share.arn;
    }
    this.arn = this.vault.arn;
    this.name = this.vault.name;
    this.registerOutputs({
      arn: this.arn,
      name: this.name,
      shareArn: this.shareArn,
    });
  }
}
