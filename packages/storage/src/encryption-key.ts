import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";

/**
 * Resource options for a data resource: with protect Pulumi refuses to delete it; with retain a
 * resource dropped from the program is left in AWS instead of deleted.
 */
export function dataOptions(
  parent: pulumi.Resource,
  protect: boolean,
  retain = protect,
  extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect, retainOnDelete: retain };
}

/**
 * A customer-managed KMS key with yearly rotation and the longest deletion window, as a child of
 * the component whose data it encrypts. Data keys are data: they get the same protection.
 */
export function createEncryptionKey(
  name: string,
  description: string,
  parent: pulumi.Resource,
  protect: boolean,
): kms.Key {
  return new kms.Key(
    name,
    { description, enableKeyRotation: true, deletionWindowInDays: 30 },
    dataOptions(parent, protect),
  );
}
