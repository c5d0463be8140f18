import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";

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
    { parent, protect, retainOnDelete: protect },
  );
}

/** Resource options for a data resource: Pulumi refuses to delete it, and keeps it if removed from the program. */
export function dataOptions(
  parent: pulumi.Resource,
  protect: boolean,
  extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect, retainOnDelete: protect };
}
