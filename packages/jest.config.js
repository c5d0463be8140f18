// Every package's tests in one jest run (the root project's `test` target, package.json): one
// jest start-up for the nine packages instead of one per package. Each package keeps its own
// jest.config.js, so `npx jest` in its folder runs its tests alone. On two cores jest runs them in
// band (one worker fewer than cores), in the process the target starts with NODE_OPTIONS'
// semi-space setting.
module.exports = { ...require("../jest.preset.js"), rootDir: __dirname };
