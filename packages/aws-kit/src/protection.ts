import type * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for a data resource: when protected, Pulumi refuses to delete it and, should it
 * leave the program, leaves it in AWS instead of deleting it.
 */
export function dataOptions(
  parent: pulumi.Resource,
  protect: boolean,
  extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...extra, parent, protect, retainOnDelete: protect };
}
