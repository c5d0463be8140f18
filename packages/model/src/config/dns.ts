import { z } from "zod";

const routeWeight = z
  .int({ error: "must be a whole number 0-255" })
  .min(0)
  .max(255);

/** dr:dns: the app's name in Route 53 and, at active-active, each site's share. */
export const dnsSchema = z.strictObject({
  /** Route 53 hosted zone holding the app's record. */
  zoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
    error: "must be a Route 53 hosted zone id such as Z0123456789ABC",
  }),
  /** Fully qualified name users reach the app at. */
  recordName: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: "must be a DNS name such as app.example.com",
    }),
  /**
   * active-active: each site's share of traffic, as Route 53 weights 0-255 (e.g. 80/20, 50/50);
   * not both 0, which Route 53 would read as "spread evenly". Default 50/50.
   */
  weights: z
    .strictObject({ primary: routeWeight, recovery: routeWeight })
    .optional(),
});

/** dr:healthCheck: Route 53's checks of each site. */
export const healthCheckSchema = z.strictObject({
  /** Seconds between Route 53's checks of each site's load balancer: 10 (fast, costs more) or 30. */
  intervalSeconds: z
    .union([z.literal(10), z.literal(30)], { error: "must be 10 or 30" })
    .default(30),
  /** Consecutive failed checks before a site counts as unhealthy, 1 to 10. */
  failureThreshold: z.int().min(1).max(10).default(3),
});
