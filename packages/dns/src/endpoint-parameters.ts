import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";

export interface EndpointParametersArgs {
  /** Parameter path prefix, e.g. `/dr/<project>/<env>`. */
  prefix: string;
  /** The database that takes writes now. */
  writer: pulumi.Input<string>;
  /** The database this region's app reads from: its own region's. */
  reader: pulumi.Input<string>;
  /** The region whose database takes writes now. */
  servingRegion: string;
}

/** Each endpoint parameter's name under the prefix (docs/application.md). */
export const ENDPOINT_PATHS = {
  writer: "db/writer",
  reader: "db/reader",
  servingRegion: "serving-region",
} as const;

/**
 * Where the app finds its database, as SSM parameters in this component's region: the writer's
 * and the local reader's addresses and the serving region. The app reads them at start and again
 * when a database call fails, so a failover reaches it without a deploy.
 */
export class EndpointParameters extends pulumi.ComponentResource {
  /** Known once every parameter holds its value: the app then finds this phase's database. */
  readonly parameterIds: pulumi.Output<string>[] = [];

  constructor(
    name: string,
    args: EndpointParametersArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:dns:EndpointParameters", name, {}, opts);
    const parameters = {
      writer: [ENDPOINT_PATHS.writer, args.writer],
      reader: [ENDPOINT_PATHS.reader, args.reader],
      servingRegion: [ENDPOINT_PATHS.servingRegion, args.servingRegion],
    } as const;
    for (const [key, [path, value]] of Object.entries(parameters)) {
      const parameter = new ssm.Parameter(
        `${name}-${key}`,
        {
          name: `${args.prefix}/${path}`,
          type: "String",
          // Not secret, and a failover's change of it must show in every diff: `value` would be
          // marked secret and hidden.
          insecureValue: value,
          description: `aws-dr: ${key} for the app in this region`,
        },
        { parent: this },
      );
      this.parameterIds.push(parameter.id);
    }
    this.registerOutputs({});
  }
}
