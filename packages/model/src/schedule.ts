const DAY = 24 * 60;
const WEEK = 7 * DAY;
const WEEKDAYS: Record<string, number> = {
  SUN: 1,
  MON: 2,
  TUE: 3,
  WED: 4,
  THU: 5,
  FRI: 6,
  SAT: 7,
};

/** The values one cron field selects in [min, max]: `*`, `a`, `a-b`, lists, and `/step`. */
function expand(
  field: string,
  min: number,
  max: number,
  names: Record<string, number> = {},
): number[] {
  const value = (token: string) => names[token.toUpperCase()] ?? Number(token);
  const selected = new Set<number>();
  for (const part of field.split(",")) {
    const [range, step = "1"] = part.split("/");
    const [from, to] = range === "*" ? [min, max] : range.split("-").map(value);
    const last = to ?? (part.includes("/") ? max : from);
    for (let v = from; v <= last; v += Number(step)) selected.add(v);
  }
  return [...selected].sort((a, b) => a - b);
}

/** The longest wait between consecutive points of a cyclic, sorted schedule of the given period. */
function longestGap(points: number[], period: number): number {
  return Math.max(
    ...points.map(
      (p, i) =>
        (i + 1 < points.length ? points[i + 1] : points[0] + period) - p,
    ),
  );
}

/**
 * The longest time, in minutes, between two runs of an AWS cron schedule
 * `cron(minutes hours day-of-month month day-of-week year)`. The worst-case RPO of scheduled
 * backups is this gap (plus the copy's transfer time cross-region). Schedules pinned to days of
 * the month or to months are bounded conservatively by the month (31 days) or the year.
 */
export function scheduleIntervalMinutes(cron: string): number {
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = cron
    .trim()
    .slice(5, -1)
    .trim()
    .split(/\s+/);
  if (month !== "*") return 366 * DAY;
  if (dayOfMonth !== "*" && dayOfMonth !== "?") return 31 * DAY;
  if (/[L#W]/.test(dayOfWeek)) return 31 * DAY;
  const days =
    dayOfWeek === "*" || dayOfWeek === "?"
      ? [1, 2, 3, 4, 5, 6, 7]
      : expand(dayOfWeek, 1, 7, WEEKDAYS);
  const times = days.flatMap((d) =>
    expand(hours, 0, 23).flatMap((h) =>
      expand(minutes, 0, 59).map((m) => (d - 1) * DAY + h * 60 + m),
    ),
  );
  return longestGap(times, WEEK);
}
