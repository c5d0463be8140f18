import { z } from "zod";

const routeWeight = z
  .int({ error: "must be a whole number 0-255" })
  .min(0)
  .max(255);

/** dr:dns: the app's name in Route 53 and, at active-active, each site's share. */
export const dnsSchema = z
  .strictObject({
    zoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, {
        error: "must be a Route 53 hosted zone id such as Z0123456789ABC",
      })
      .describe("Route 53 hosted zone holding the app's record."),
    recordName: z
      .string()
      .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: "must be a DNS name such as app.example.com",
      })
      .describe("Fully qualified name users reach the app at."),
    weights: z
      .strictObject({
        primary: routeWeight.describe(
          "Route 53 weight of the primary site's record.",
        ),
        recovery: routeWeight.describe(
          "Route 53 weight of the recovery site's record; 0 makes it a hot spare that gets traffic only when the primary is unhealthy.",
        ),
      })
      .optional()
      .describe(
        "Each site's share of traffic as Route 53 weights (e.g. 80/20), not both 0 (Route 53 would spread evenly); set at another tier it is kept with a warning. Unset: 50/50.",
      ),
  })
  .describe(
    "The app's name in Route 53: a weighted, health-checked alias record per running site. Unset: no records; users reach the serving load balancer by its own name.",
  );

/** dr:healthCheck: Route 53's checks of each site. */
export const healthCheckSchema = z
  .strictObject({
    intervalSeconds: z
      .union([z.literal(10), z.literal(30)], { error: "must be 10 or 30" })
      .default(30)
      .describe(
        "Seconds between Route 53's checks of each site's load balancer: 10 (faster detection, costs more) or 30.",
      ),
    failureThreshold: z
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe(
        "Consecutive failed checks before a site counts as unhealthy; detection takes intervalSeconds x failureThreshold.",
      ),
  })
  .describe(
    "Route 53's health checks of each site's load balancer, on dr:app.healthCheckPath.",
  );
