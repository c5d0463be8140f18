/**
 * Minutes between two runs of an AWS cron schedule, for the common shapes: every N minutes or
 * hours, a list of hours, daily, or on some weekdays (the longest gap). The worst-case RPO of
 * scheduled backups is this interval (plus the copy's transfer time cross-region).
 */
export function scheduleIntervalMinutes(cron: string): number {
  const [minutes, hours, , , dayOfWeek] = cron
    .trim()
    .slice(5, -1)
    .trim()
    .split(/\s+/);
  const step = (field: string) => /^(\*|\d+)\/(\d+)$/.exec(field)?.[2];
  if (minutes === "*") return 1;
  if (step(minutes) && hours === "*") return Number(step(minutes));
  if (step(hours)) return Number(step(hours)) * 60;
  if (hours === "*") return 60;
  const perDay = hours.split(",").length;
  if (dayOfWeek && dayOfWeek !== "*" && dayOfWeek !== "?") {
    return (7 / dayOfWeek.split(",").length) * 24 * 60;
  }
  return (24 * 60) / perDay;
}
