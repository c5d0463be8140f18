import { scheduleIntervalMinutes } from "./objectives";

describe("scheduleIntervalMinutes", () => {
  it.each([
    ["cron(0 5 ? * * *)", 1440],
    ["cron(0 */4 ? * * *)", 240],
    ["cron(0 */12 ? * * *)", 720],
    ["cron(*/15 * ? * * *)", 15],
    ["cron(0 * ? * * *)", 60],
    ["cron(0 6,18 ? * * *)", 720],
    ["cron(30 2 ? * SAT *)", 10080],
  ])("%s runs every %i minutes", (cron, minutes) => {
    expect(scheduleIntervalMinutes(cron)).toBe(minutes);
  });
});
