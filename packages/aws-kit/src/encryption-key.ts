import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import { dataOptions } from "./protection";

/**
 * A customer-managed KMS key with yearly rotation and the longest deletion window, as a child of
 * the component whose data it encrypts. Data keys are data: they get the same protection. Without a
 * policy the key has AWS's default (the account administers it through IAM).
 */
export function createEncryptionKey(
  name: string,
  args: {
    description: string;
    parent: pulumi.Resource;
    protect: boolean;
    /**
     * Keep the key in AWS when it leaves the program. Default: protect. A database deleted after a
     * final snapshot needs it: the snapshot stays encrypted under it.
     */
    retain?: boolean;
    /** Key policy; default AWS's (the account administers the key through IAM). */
    policy?: pulumi.Input<string>;
    /** A provider for another region than the parent's. */
    provider?: pulumi.ProviderResource;
  },
): kms.Key {
  const {
    description,
    parent,
    protect,
    retain = protect,
    policy,
    provider,
  } = args;
  return new kms.Key(
    name,
    { description, enableKeyRotation: true, deletionWindowInDays: 30, policy },
    { ...dataOptions(parent, protect), retainOnDelete: retain, provider },
  );
}
