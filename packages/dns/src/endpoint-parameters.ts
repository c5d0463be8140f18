import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";

export interface EndpointParametersArgs {
  /** Parameter path prefix, `/<project>/<env>`. */
  prefix: string;
  /** The database that takes writes now. */
  writer: pulumi.Input<string>;
  /** The database this region's app reads from: its own region's. */
  reader: pulumi.Input<string>;
  /** The region whose database takes writes now. */
  servingRegion: string;
}

/** The names of the parameters under a prefix, as the app reads them. */
export function endpointParameterNames(prefix: string) {
  return {
    writer: `${prefix}/db/writer`,
    reader: `${prefix}/db/reader`,
    servingRegion: `${prefix}/serving-region`,
  };
}

/**
 * Where the app finds its database, as SSM parameters in this component's region: the writer's
 * and the local reader's addresses and the serving region. The app reads them at start and again
 * when a database call fails, so a failover reaches it without a deploy.
 */
export class EndpointParameters extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: EndpointParametersArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:dns:EndpointParameters", name, {}, opts);
    const names = endpointParameterNames(args.prefix);
    const values = {
      writer: args.writer,
      reader: args.reader,
      servingRegion: args.servingRegion,
    };
    for (const key of ["writer", "reader", "servingRegion"] as const) {
      new ssm.Parameter(
        `${name}-${key}`,
        {
          name: names[key],
          type: "String",
          // Not secret, and a failover's change of it must show in every diff: `value` would be
          // marked secret and hidden.
          insecureValue: values[key],
          description: `aws-dr: ${key} for the app in this region`,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
