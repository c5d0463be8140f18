// Every package's tests in one jest run (the root project's `test` target, package.json): one
// jest start-up and one pool of workers for the nine packages instead of one of each per package
// (about 17 CPU-s against 29). Each package keeps its own jest.config.js, so `npx jest` in its
// folder runs its tests alone. On two cores jest runs them in band (one worker fewer than cores),
// in the process the target starts with NODE_OPTIONS' semi-space setting (jest.preset.js says
// why). The test timeout is a global option: the projects' own copies of it are not read.
const fs = require("node:fs");
const path = require("node:path");

module.exports = {
  testTimeout: require("../jest.preset.js").testTimeout,
  projects: fs
    .readdirSync(__dirname, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        fs.existsSync(path.join(__dirname, d.name, "jest.config.js")),
    )
    .map((d) => path.join(__dirname, d.name)),
};
