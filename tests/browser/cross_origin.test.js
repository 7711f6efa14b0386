// cross_origin.test.js - another web page in the user's browser cannot use parley serve (docs/security.md):
// a page from a second origin (another port on 127.0.0.1) tries fetch() with and without CORS, a form
// POST and a JSON POST; it can read none of the answers, and the server refuses every one before running
// anything. A DNS-rebinding page (a foreign name resolved to 127.0.0.1) gets the 421 for a foreign Host.
// Usage: node cross_origin.test.js PARLEY_BINARY
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");

const parley = path.resolve(process.argv[2] || "../../build/parley");
const root = path.resolve(__dirname, "../..");

const { fail, check, startServer: serveAt } = require("./common.js");
const startServer = () => serveAt(parley);

// The other site's page: it tries everything a page can do to reach the server, and writes what it
// could read into window.results.
function attackerPage(target) {
  return `<!DOCTYPE html><html><body>
<form id="f" method="POST" action="${target}api/forecast" enctype="text/plain" target="sink">
  <input name='{"x":"' value='"}'></form>
<iframe name="sink" id="sink"></iframe>
<script>
const target = ${JSON.stringify(target)};
const scenario = ${JSON.stringify(fs.readFileSync(path.join(root, "examples/jeddah-2025.json"), "utf8"))};
async function attempt(name, f) {
  try { const r = await f(); return [name, "read " + r.type + " " + r.status + " " + (await r.text()).slice(0, 40)]; }
  catch (e) { return [name, "blocked"]; }
}
window.run = async () => {
  const out = [];
  out.push(await attempt("cors GET scenario", () => fetch(target + "api/scenario")));
  out.push(await attempt("cors POST json", () => fetch(target + "api/forecast", { method: "POST", headers: { "Content-Type": "application/json" }, body: scenario })));
  out.push(await attempt("no-cors POST text", () => fetch(target + "api/forecast", { method: "POST", mode: "no-cors", body: scenario })));
  out.push(await attempt("no-cors GET scenario", () => fetch(target + "api/scenario", { mode: "no-cors" })));
  out.push(await attempt("no-cors POST form", () => fetch(target + "api/montecarlo?draws=20000", { method: "POST", mode: "no-cors", body: new URLSearchParams({ a: "1" }) })));
  await new Promise((done) => { document.getElementById("sink").onload = done; document.getElementById("f").submit(); });
  let frame;
  try { frame = document.getElementById("sink").contentDocument ? "readable" : "unreadable"; } catch (e) { frame = "unreadable"; }
  out.push(["form POST into a frame", frame]);
  return out;
};
</script></body></html>`;
}

async function main() {
  const server = await startServer();
  const port = new URL(server.url).port;
  const other = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(attackerPage(server.url));
  });
  await new Promise((r) => other.listen(0, "127.0.0.1", r));
  const otherUrl = "http://127.0.0.1:" + other.address().port + "/";
  let browser;
  try {
    browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "parley-chromium-")), {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
    });
    // Every answer the parley server gives to the other page, as the network saw it.
    const answers = [];
    browser.on("response", (r) => { if (r.url().startsWith(server.url)) answers.push(r.request().method() + " " + r.url() + " " + r.status()); });
    const page = await browser.newPage();
    // The raw status of every answer, also those the browser then hides from the page (CORS, CORP).
    const raw = [];
    const cdp = await browser.newCDPSession(page);
    await cdp.send("Network.enable");
    const urls = {};
    cdp.on("Network.requestWillBeSent", (e) => { urls[e.requestId] = e.request.method + " " + e.request.url; });
    cdp.on("Network.responseReceivedExtraInfo", (e) => raw.push({ id: e.requestId, status: e.statusCode }));
    await page.goto(otherUrl);
    const results = await page.evaluate(() => window.run());
    await page.waitForTimeout(200); // the last network events
    const toServer = raw.filter((x) => (urls[x.id] || "").includes(server.url)).map((x) => urls[x.id] + " " + x.status);
    for (const [name, what] of results) check(what === "blocked" || what === "unreadable" || /^read opaque 0 $/.test(what),
                                              "a page of another origin cannot read the answer: " + name + " (" + what + ")");
    check(toServer.length >= results.length, "the network shows the server's answers to the other page (" + toServer.length + ")");
    check(toServer.every((a) => / (403|405|415|421)$/.test(a)) && answers.every((a) => / (403|405|415|421)$/.test(a)),
          "the server refused every request of the other page before running it: " + toServer.join("; "));

    // DNS rebinding: the attacker's name now resolves to 127.0.0.1, so its page is "same-origin" with
    // the server by name; the Host header gives it away.
    const rebound = "http://rebind.test:" + port + "/";
    const r = await page.goto(rebound);
    check(r.status() === 421, "a page under a rebound name gets a 421 for its Host (" + r.status() + ")");
    const read = await page.evaluate(async () => { const x = await fetch("/api/scenario"); return x.status + " " + (await x.text()); });
    check(read.startsWith("421 ") && !read.includes("\"actors\""), "the rebound page cannot read the scenario (" + read.slice(0, 60) + ")");
  } finally {
    if (browser) await browser.close();
    other.close();
    server.proc.kill("SIGTERM");
  }
}

main().catch((e) => { console.error(e.message); process.exitCode = 1; });
