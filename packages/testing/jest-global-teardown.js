// Jest global teardown: removes this run's evaluation cache and outside evaluator
// (jest-global-setup.js).
const fs = require("node:fs");
const { EVALUATOR } = require("./jest-environment.js");

module.exports = async () => {
  for (const variable of ["AWS_DR_RUN_CACHE", EVALUATOR]) {
    const file = process.env[variable];
    if (file) fs.rmSync(file, { recursive: true, force: true });
    delete process.env[variable];
  }
};
