import * as pulumi from "@pulumi/pulumi";
import * as route53 from "@pulumi/aws/route53";

export interface AppRecordArgs {
  zoneId: string;
  /** Fully qualified name, e.g. app.example.com. */
  recordName: string;
  /** The serving load balancer's DNS name and hosted zone. */
  targetDnsName: pulumi.Input<string>;
  targetZoneId: pulumi.Input<string>;
}

/**
 * The app's name as a Route 53 alias to the serving load balancer. Failing over re-points the same
 * record (an update), so its URN and identity never change.
 */
export class AppRecord extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;

  constructor(
    name: string,
    args: AppRecordArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:dns:AppRecord", name, {}, opts);
    const record = new route53.Record(
      `${name}-alias`,
      {
        zoneId: args.zoneId,
        name: args.recordName,
        type: "A",
        aliases: [
          {
            name: args.targetDnsName,
            zoneId: args.targetZoneId,
            evaluateTargetHealth: true,
          },
        ],
      },
      { parent: this },
    );
    this.fqdn = record.fqdn;
    this.registerOutputs({ fqdn: this.fqdn });
  }
}
