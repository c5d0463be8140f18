/**
 * The shipped prod example runs Aurora; the tests of the RDS path (its failback generations, its
 * promotion, its policies) take prod's config with the database section it had on RDS for
 * PostgreSQL, which a stack may still choose.
 */
export const PROD_ON_RDS = `dr:database=${JSON.stringify({
  instanceClass: "db.r7g.large",
  allocatedStorageGb: 100,
  maxAllocatedStorageGb: 1000,
  multiAz: true,
})}`;
