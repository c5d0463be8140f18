import type * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "@aws-dr/aws-kit";
import { autoScalingRole, Network, VolumeKey } from "@aws-dr/compute";
import { HTTP_PORT, HTTPS_PORT } from "@aws-dr/contracts";
import { BackupAlerts, LogBucket } from "@aws-dr/storage";
import type { DeployContext } from "./context";

/** What each region holds at every tier, whether or not a site runs there. */
export interface Region {
  network: Network;
  /** This region's alert topic: backup failures now, alarms of the standby tiers later. */
  alerts: AlertTopic;
  /** SSE-S3 bucket for this region's S3 server access logs and ALB logs. */
  logs: LogBucket;
  /** Customer-managed key for this region's fleet volumes and AMI copies. */
  volumeKey: VolumeKey;
}

export interface Regions {
  primary: Region;
  recovery: Region;
  /** The stack's own Auto Scaling service-linked role, allowed to use both volume keys. */
  autoScalingRoleArn: pulumi.Output<string>;
}

/**
 * The groundwork of both regions, built at every tier with fixed names, ahead of any failover:
 * networks, alert topics (one per region: a topic dies with its region), log buckets, volume keys,
 * and the IAM role they need (IAM's control plane is in us-east-1). The recovery network exists at
 * every tier, without NAT gateways where no instance may start there (the phase's recoveryNat):
 * failover then adds a NAT gateway and a site to subnets that are already in place, and restore
 * tests have a network to restore into.
 */
export function buildRegions(ctx: DeployContext): Regions {
  const { cfg, providers, accountId } = ctx;
  const autoScalingRoleArn = autoScalingRole(ctx.environment, {
    provider: providers.recovery,
  }).arn;
  const region = (
    name: "primary" | "recovery",
    cidrBlock: string,
    zones: string[],
    natGateways: "none" | "single" | "one-per-az",
  ): Region => {
    const opts = { provider: providers[name] };
    const network = new Network(
      name,
      {
        cidrBlock,
        zones,
        natGateways,
        appPort: cfg.app.port,
        publicPorts: listenerPorts(
          name === "primary"
            ? cfg.app.certificateArn
            : cfg.app.recoveryCertificateArn,
        ),
      },
      opts,
    );
    // Without its NAT a recovery fleet never passes its health checks.
    ctx.realized.push(network.natGatewayIds);
    const alerts = new AlertTopic(
      `${name}-alerts`,
      { accountId, email: cfg.alerts.email },
      opts,
    );
    new BackupAlerts(`${name}-backup-alerts`, { topicArn: alerts.arn }, opts);
    return {
      network,
      alerts,
      logs: new LogBucket(
        `${name}-logs`,
        {
          accountId,
          retentionDays: cfg.logs.retentionDays,
          protect: cfg.protectData,
        },
        opts,
      ),
      volumeKey: new VolumeKey(
        `${name}-volumes`,
        { accountId, autoScalingRoleArn, protect: cfg.protectData },
        opts,
      ),
    };
  };
  return {
    primary: region(
      "primary",
      cfg.network.primaryCidr,
      cfg.network.primaryZones,
      cfg.network.natGateways,
    ),
    recovery: region(
      "recovery",
      cfg.network.recoveryCidr,
      cfg.network.recoveryZones,
      ctx.phase.recoveryNat,
    ),
    autoScalingRoleArn,
  };
}

/** The ports a site's load balancer listens on: HTTPS (and a redirect) with a certificate. */
function listenerPorts(certificateArn: string | undefined): number[] {
  return certificateArn ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
}
