import { scheduleIntervalMinutes } from "./schedule";

describe("scheduleIntervalMinutes", () => {
  it.each([
    ["cron(0 5 ? * * *)", 1440],
    ["cron(0 */4 ? * * *)", 240],
    ["cron(0 */12 ? * * *)", 720],
    ["cron(*/15 * ? * * *)", 15],
    ["cron(0 * ? * * *)", 60],
    ["cron(0 6,18 ? * * *)", 720],
    ["cron(30 2 ? * SAT *)", 10080],
    ["cron(0,30 * ? * * *)", 30],
    ["cron(0 5 ? * MON-FRI *)", 4320],
    ["cron(0 8-17 ? * * *)", 900],
    ["cron(0 0 1 * ? *)", 44640],
  ])("%s leaves at most %i minutes between runs", (cron, minutes) => {
    expect(scheduleIntervalMinutes(cron)).toBe(minutes);
  });
});
