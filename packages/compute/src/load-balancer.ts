import * as pulumi from "@pulumi/pulumi";
import * as lb from "@pulumi/aws/lb";
import { HTTP_PORT, HTTPS_PORT } from "@aws-dr/contracts";

export interface LoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  /** Public subnets, one per AZ. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Port the fleet serves HTTP on. */
  targetPort: number;
  /** Path the target group health check requests. */
  healthCheckPath: string;
  /** ACM certificate for HTTPS; without one the ALB serves plain HTTP. */
  certificateArn?: string;
  /** Turn on the ALB's deletion protection. Default false. */
  deletionProtection?: boolean;
  /**
   * Bucket (name) the ALB writes access logs to, under the prefix of this component's name. It must
   * be SSE-S3 and allow ELB log delivery before the ALB is configured (see LogBucket).
   */
  accessLogsBucket: pulumi.Input<string>;
  /** Tags on the load balancer, e.g. its role. */
  tags?: Record<string, string>;
}

/** TLS 1.2 and 1.3 only. */
const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * An internet-facing application load balancer with a target group for the fleet. With a
 * certificate it serves HTTPS and redirects HTTP to it; without one, HTTP only.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly zoneId: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  /** "https" or "http", as the app's URL starts. */
  readonly scheme: "https" | "http";

  constructor(
    name: string,
    args: LoadBalancerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("aws-dr:compute:LoadBalancer", name, {}, opts);
    const parent = { parent: this };
    // Autonaming adds 8 characters and AWS allows 32 for ALB and target-group names.
    if (`${name}-alb`.length > 24) {
      throw new pulumi.ResourceError(
        `name "${name}" is too long for an ALB name: at most 20 characters`,
        this,
      );
    }

    const alb = new lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        subnets: args.subnetIds,
        securityGroups: [args.securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection ?? false,
        tags: args.tags,
        accessLogs: {
          bucket: args.accessLogsBucket,
          prefix: `alb/${name}`,
          enabled: true,
        },
      },
      parent,
    );
    const targets = new lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: args.vpcId,
        port: args.targetPort,
        protocol: "HTTP",
        targetType: "instance",
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          path: args.healthCheckPath,
          protocol: "HTTP",
          matcher: "200-399",
          interval: 15,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      },
      parent,
    );
    const forward = [{ type: "forward", targetGroupArn: targets.arn }];

    if (args.certificateArn) {
      new lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: alb.arn,
          port: HTTPS_PORT,
          protocol: "HTTPS",
          sslPolicy: SSL_POLICY,
          certificateArn: args.certificateArn,
          defaultActions: forward,
        },
        parent,
      );
      new lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: alb.arn,
          port: HTTP_PORT,
          protocol: "HTTP",
          defaultActions: [
            {
              type: "redirect",
              redirect: {
                protocol: "HTTPS",
                port: String(HTTPS_PORT),
                statusCode: "HTTP_301",
              },
            },
          ],
        },
        parent,
      );
    } else {
      new lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: alb.arn,
          port: HTTP_PORT,
          protocol: "HTTP",
          defaultActions: forward,
        },
        parent,
      );
    }

    this.arn = alb.arn;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.targetGroupArn = targets.arn;

    this.scheme = args.certificateArn ? "https" : "http";
    this.registerOutputs({
      arn: this.arn,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      targetGroupArn: this.targetGroupArn,
    });
  }
}
