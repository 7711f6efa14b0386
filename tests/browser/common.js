// common.js - what the browser tests share: assertions that print TAP-like lines, and a parley serve on a
// free port of 127.0.0.1.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "../..");

function fail(msg) { console.error("FAIL: " + msg); process.exitCode = 1; throw new Error(msg); }
function check(cond, msg) { if (!cond) fail(msg); console.log("ok - " + msg); }

// Starts `parley serve --port 0` (the flagship) and resolves to {proc, url} once it says where it listens.
function startServer(parley) {
  return new Promise((resolve, reject) => {
    const p = spawn(parley, ["serve", "--port", "0", "--quiet"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) resolve({ proc: p, url: m[1] });
    });
    p.on("exit", (code) => reject(new Error("server exited with " + code)));
  });
}

module.exports = { root, fail, check, startServer };
