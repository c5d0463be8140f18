// Jest global teardown: removes this run's evaluation cache (jest-global-setup.js).
const fs = require("node:fs");

module.exports = async () => {
  const dir = process.env.AWS_DR_RUN_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.AWS_DR_RUN_CACHE;
};
