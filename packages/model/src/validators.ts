// Syntax checks for config values that AWS would otherwise reject only at `pulumi up` time.

/** An AWS region code such as us-east-1 or eu-central-2. */
export function isRegion(value: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/.test(
    value,
  );
}

/**
 * An IPv4 CIDR block with a network address aligned to its prefix, prefix /16 to /23: the subnet
 * layout gives a /23 VPC /27 public subnets, the smallest an ALB accepts.
 */
export function isVpcCidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(
    value,
  );
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix < 16 || prefix > 23) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return address % 2 ** (32 - prefix) === 0;
}

/** The [start, end) address range of a valid CIDR block. */
function cidrRange(value: string): [number, number] {
  const [ip, prefix] = value.split("/");
  const start = ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  return [start, start + 2 ** (32 - Number(prefix))];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [aStart, aEnd] = cidrRange(a);
  const [bStart, bEnd] = cidrRange(b);
  return aStart < bEnd && bStart < aEnd;
}

const CRON_FIELD = /^[0-9A-Z*?,\-/#LW]+$/i;

/**
 * An AWS schedule expression `cron(minutes hours day-of-month month day-of-week year)`:
 * six fields, and exactly one of day-of-month and day-of-week is `?`.
 */
export function isAwsCron(value: string): boolean {
  const match = /^cron\((.+)\)$/.exec(value.trim());
  if (!match) return false;
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => CRON_FIELD.test(f)))
    return false;
  const [minutes, hours, dayOfMonth, , dayOfWeek] = fields;
  if (![minutes, hours].every((f) => /^[\d*,\-/]+$/.test(f))) return false;
  if (!inRange(minutes, 59) || !inRange(hours, 23)) return false;
  return (dayOfMonth === "?") !== (dayOfWeek === "?");
}

/** Every plain number in a cron field (ranges, lists, steps) lies in 0..max. */
function inRange(field: string, max: number): boolean {
  return (field.match(/\d+/g) ?? []).every((n) => Number(n) <= max);
}
