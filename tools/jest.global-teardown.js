module.exports = require("../packages/testing/jest-global-teardown.js");
