// ui.test.js - the web UI and the HTML report in a real browser (Debian's chromium, headless, driven by
// playwright-core): the UI loads the flagship, a slider moves a forecast exactly as the library computes
// it, the chart redraws, the headline table (the ensemble's forecast and 80% interval) equals the library's
// JSON before and after, Monte Carlo carries the quantile keys "0.05" ... "0.95", and the console stays
// clean; the report file opens offline, leads with the same headline and reads the same.
// Usage: node ui.test.js PARLEY_BINARY ARTIFACT_DIR
"use strict";
const { chromium } = require("playwright-core");
const { execFileSync } = require("child_process");
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");

const parley = path.resolve(process.argv[2] || "../../build/parley");
const artifacts = path.resolve(process.argv[3] || "../../build/browser-artifacts");
const root = path.resolve(__dirname, "../..");
fs.mkdirSync(artifacts, { recursive: true });

const { fail, check, startServer: serveAt } = require("./common.js");
const startServer = () => serveAt(parley);

// The library's own answer: parley forecast on the edited scenario.
function libraryForecast(scenario, model, issue) {
  const file = path.join(os.tmpdir(), "parley-ui-" + process.pid + ".json");
  fs.writeFileSync(file, JSON.stringify(scenario));
  const out = JSON.parse(execFileSync(parley, ["forecast", file, "--model", model, "--format", "json", "--quiet"]));
  fs.unlinkSync(file);
  return out.forecasts.find((f) => f.model === model && f.issue === issue).value;
}

// Sends raw bytes to the server and resolves with everything it answers until it closes.
function rawRequest(url, bytes) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(bytes));
    let out = "";
    sock.on("data", (d) => { out += d; });
    sock.on("end", () => resolve(out));
    sock.on("error", reject);
  });
}

const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
// A number on one of the flagship's 0-100 scales as the reports write it: two decimals, trailing zeros dropped.
const fmtScale = (x) => x.toFixed(2).replace(/\.?0+$/, "");
const KEYS = ["0.05", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"];

// The library's JSON for a scenario (an object, or a path relative to the repository) under a SPEC.
function libraryJson(scenario, spec) {
  let file = scenario, tmp = null;
  if (typeof scenario !== "string") {
    tmp = file = path.join(os.tmpdir(), "parley-ui-glance-" + process.pid + ".json");
    fs.writeFileSync(tmp, JSON.stringify(scenario));
  }
  const args = ["forecast", file, "--format", "json", "--quiet"].concat(spec ? ["--model", spec] : []);
  const out = JSON.parse(execFileSync(parley, args, { cwd: root }));
  if (tmp) fs.unlinkSync(tmp);
  return out;
}

// Checks that a page's #glance-table shows the headline (run 0, the ensemble) of the library's JSON: per
// issue its value and its 80% interval [q0.1, q0.9], the range of the other runs, and the flag.
async function checkGlance(page, lib, what) {
  const rows = await page.$$eval("#glance-table tbody tr", (l) => l.map((r) => ({
    issue: r.getAttribute("data-issue"),
    run: r.querySelector('[data-field="forecast"]').getAttribute("data-run"),
    forecast: r.querySelector('[data-field="forecast"]').textContent,
    interval: r.querySelector('[data-field="interval"]').textContent,
    range: r.querySelector('[data-field="range"]').textContent,
    wider: r.querySelector('[data-field="range"]').getAttribute("data-wider") === "true",
    words: r.querySelector('[data-field="words"]').textContent,
  })));
  check(lib.models[0].model === "ensemble" && rows.length === lib.forecasts.filter((f) => f.run === 0).length,
        what + ": the headline table has a row per issue, led by run 0 (the ensemble)");
  const bad = [];
  for (const r of rows) {
    const head = lib.forecasts.find((f) => f.run === 0 && f.issue === r.issue);
    const q = head.quantiles;
    const others = lib.forecasts.filter((f) => f.run !== 0 && f.issue === r.issue && f.value !== null).map((f) => f.value);
    const mn = Math.min(...others), mx = Math.max(...others);
    const want = {
      run: "0", forecast: fmtScale(head.value), interval: fmtScale(q["0.1"]) + " to " + fmtScale(q["0.9"]),
      range: (mn === mx ? fmtScale(mn) : fmtScale(mn) + " to " + fmtScale(mx)) + (mx - mn > q["0.9"] - q["0.1"] ? " !" : ""),
      wider: mx - mn > q["0.9"] - q["0.1"],
    };
    if (JSON.stringify(Object.keys(q)) !== JSON.stringify(KEYS) || head.value !== q["0.5"]) bad.push(r.issue + ": quantile keys or median");
    for (const k of Object.keys(want)) if (r[k] !== want[k]) bad.push(r.issue + " " + k + ": shows " + r[k] + ", library " + want[k]);
    if (!/^(toward|leans toward|at|midway between) '/.test(r.words)) bad.push(r.issue + " words: " + r.words);
  }
  check(bad.length === 0, what + ": the headline table's numbers equal the library's JSON (run 0 quantiles)" +
        (bad.length ? ": " + bad.join("; ") : ""));
}

// The JSON API: the same answers as the CLI, clear errors, bounded bodies, safe under concurrency.
async function apiChecks(url) {
  const flagship = fs.readFileSync(path.join(root, "examples/jeddah-2025.json"));
  const post = (p, body) => fetch(url + p, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  let r = await post("api/forecast?model=compromise,median,bdm", flagship);
  const mine = await r.text();
  const cli = execFileSync(parley, ["forecast", "examples/jeddah-2025.json", "--model", "compromise,median,bdm", "--format", "json",
                                    "--quiet"], { cwd: root }).toString();
  check(r.status === 200 && mine === cli.replace('"path": "examples/jeddah-2025.json"', '"path": "request.json"'),
        "POST /api/forecast answers what parley forecast --format json prints");
  r = await post("api/forecast", "{bad");
  const bad = await r.json();
  check(r.status === 400 && bad.error && bad.diagnostics[0].includes("invalid JSON"), "invalid JSON gets a 400 with a message");
  r = await post("api/forecast?model=nosuch", flagship);
  check(r.status === 400, "an unknown model gets a 400");
  r = await fetch(url + "nothing");
  check(r.status === 404, "an unknown path gets a 404");
  r = await fetch(url + "api/forecast");
  check(r.status === 405, "GET on an API gets a 405");
  // A body over 8 MiB is refused from its Content-Length, before it is sent (a raw socket: fetch cannot
  // read an answer that comes before its upload ends).
  const big = await rawRequest(url, "POST /api/forecast HTTP/1.1\r\nHost: " + new URL(url).host +
                               "\r\nContent-Type: application/json\r\nContent-Length: " + (9 << 20) + "\r\n\r\n");
  check(big.startsWith("HTTP/1.1 413"), "a body over 8 MiB gets a 413 before it is sent");
  r = await post("api/montecarlo?draws=999999", flagship);
  check(r.status === 400, "a run over the size bound gets a 400");
  const many = await Promise.all(Array.from({ length: 24 }, () => post("api/forecast?model=compromise,bdm,smp", flagship).then((x) => x.text())));
  check(many.every((t) => t === many[0] && t.includes('"forecasts"')), "24 concurrent requests get the same answer");
  r = await fetch(url + "api/models");
  const registry = (await r.json()).models;
  const cliModels = execFileSync(parley, ["models"], { cwd: root }).toString().split("\n").filter((l) => /^\S/.test(l));
  check(r.status === 200 && JSON.stringify(registry.map((m) => m.name)) === JSON.stringify(cliModels),
        "GET /api/models lists the models parley models lists, in its order");
  check(registry.every((m) => typeof m.summary === "string" && ["issue", "group"].includes(m.scope) && Array.isArray(m.records) &&
                              typeof m.suits === "boolean" && Array.isArray(m.presets) &&
                              m.options.every((o) => o.name && o.type && typeof o.default === "string")),
        "each model of GET /api/models has its summary, traits, presets and options");
  r = await post("api/models", flagship);
  check(r.status === 405 && r.headers.get("Allow") === "GET, HEAD", "POST /api/models gets a 405 that says GET");
  r = await fetch(url + "api/models?model=bdm");
  check(r.status === 400, "GET /api/models with a query gets a 400");
  r = await post("api/validate", flagship);
  check((await r.json()).valid === true, "POST /api/validate accepts the flagship");
  r = await post("api/compare?model=compromise", flagship);
  check((await r.json()).variants.length === 4, "POST /api/compare runs the four variants");
}

async function main() {
  const server = await startServer();
  try {
    await apiChecks(server.url);
  } catch (e) {
    server.proc.kill("SIGTERM");
    throw e;
  }
  let browser;
  const errors = [];
  try {
    // A fresh profile each run (playwright passes it to chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "parley-chromium-")), {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      viewport: { width: 1300, height: 1000 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage();
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
    check((await page.textContent("#title")).includes("Jeddah"), "the UI opens the flagship");
    const spec = await page.evaluate(() => selectedModels().join(","));
    check(spec.split(",")[0] === "ensemble", "the UI runs the ensemble first (" + spec + ")");
    const glanceY = await page.$eval("#glance-table", (t) => t.getBoundingClientRect().top);
    const tableY = await page.$eval("#forecast-table", (t) => t.getBoundingClientRect().top);
    check(glanceY < tableY, "the headline table leads the page");
    await checkGlance(page, libraryJson(await page.evaluate(() => scenario), spec), "the UI");
    const cell = 'td[data-model="compromise"][data-issue="aid"]';
    const before = await page.textContent(cell);
    const chartBefore = await page.innerHTML("#chart");
    check(chartBefore.includes("<svg"), "the forecast chart is drawn");
    await page.screenshot({ path: path.join(artifacts, "ui-before.png"), fullPage: false });

    // Move the US administration's position on aid to the top of the scale.
    const gen = await page.getAttribute("#chart", "data-generation");
    await page.$eval("#pos-us_admin-aid", (r) => { r.value = r.max; r.dispatchEvent(new Event("input", { bubbles: true })); });
    await page.waitForFunction((g) => document.querySelector("#chart").getAttribute("data-generation") !== g, gen, { timeout: 30000 });
    const after = await page.textContent(cell);
    check(after !== before, "moving a slider changes the forecast shown (" + before + " -> " + after + ")");

    // The library's answer on the very scenario the page now holds.
    const edited = await page.evaluate(() => scenario);
    const stance = edited.stances.find((s) => s.actor === "us_admin" && s.issue === "aid");
    check((typeof stance.position === "object" ? stance.position.value : stance.position) === 100, "the edit reached the scenario");
    const expected = libraryForecast(edited, "compromise", "aid");
    check(after === fmt(expected), "the forecast shown equals the library's (" + fmt(expected) + ")");
    check((await page.getAttribute("#glance-table", "data-generation")) === (await page.getAttribute("#chart", "data-generation")),
          "the headline table updated with the edit");
    await checkGlance(page, libraryJson(edited, spec), "the UI after an edit");
    const chartAfter = await page.innerHTML("#chart");
    check(chartAfter !== chartBefore && chartAfter.includes("<svg"), "the chart redraws");
    await page.screenshot({ path: path.join(artifacts, "ui-after.png"), fullPage: false });

    // The model list and its options come from the registry (GET /api/models), not from the page.
    const registry = await page.evaluate(async () => (await (await fetch("/api/models")).json()).models);
    const boxes = await page.$$eval("#models input[type=checkbox][id^=model-]", (l) => l.map((b) => [b.id.slice(6), b.checked]));
    check(JSON.stringify(boxes.map((b) => b[0])) === JSON.stringify(registry.map((m) => m.name)), "the UI lists the registry's models");
    check(boxes.every(([n, on]) => { const m = registry.find((x) => x.name === n); return on === (m.suits && m.scope === "issue"); }),
          "the UI starts with the models that suit the scenario and take each issue alone");
    const withChoice = registry.find((m) => m.options.some((o) => o.type === "choice"));
    const opt = withChoice.options.find((o) => o.type === "choice");
    const other = opt.choices.find((c) => c !== opt.default);
    const want = withChoice.name + "," + opt.name + "=" + other;
    await page.check("#model-" + withChoice.name);
    await page.click("#options-" + withChoice.name + " summary");
    await page.selectOption("#opt-" + withChoice.name + "-" + opt.name, other);
    await page.waitForFunction((w) => [...document.querySelectorAll("#forecast-table th")].some((h) => h.textContent === w), want,
                               { timeout: 30000 });
    check(true, "an option set in the UI reaches the SPEC and names its column (" + want + ")");

    // Monte Carlo with its progress indicator, and the variants.
    await page.fill("#draws", "40");
    const mcAnswer = page.waitForResponse((x) => x.url().includes("/api/montecarlo"), { timeout: 60000 });
    await page.click("#run-mc");
    const mc = await (await mcAnswer).json();
    await page.waitForFunction(() => document.querySelectorAll("#mc-table tr").length > 1, null, { timeout: 60000 });
    check((await page.textContent("#mc-progress")).includes("40 draws"), "Monte Carlo runs and reports its draws");
    check(mc.montecarlo.results.length > 0 &&
          mc.montecarlo.results.every((x) => JSON.stringify(Object.keys(x.quantiles)) === JSON.stringify(KEYS)),
          "Monte Carlo summaries carry the quantile keys " + KEYS.join(", "));
    const mcCells = await page.$$eval("#mc-table td[data-quantile]", (l) => l.map((c) => [c.parentElement.getAttribute("data-run"),
      c.parentElement.getAttribute("data-issue"), c.getAttribute("data-quantile"), c.textContent]));
    check(mcCells.length === 3 * mc.montecarlo.results.length && mcCells.every(([run, issue, q, text]) => {
      const x = mc.montecarlo.results.find((y) => String(y.run) === run && y.issue === issue);
      return ["0.05", "0.5", "0.95"].includes(q) && text === fmt(x.quantiles[q]);
    }), "the Monte Carlo table shows the 0.05, 0.5 and 0.95 quantiles of the answer");
    await page.click("#run-compare");
    await page.waitForFunction(() => document.querySelectorAll("#compare table").length === 4, null, { timeout: 60000 });
    check(true, "the four variants are compared");
    await page.screenshot({ path: path.join(artifacts, "ui-full.png"), fullPage: true });
    check(errors.length === 0, "the UI's console has no errors" + (errors.length ? ": " + errors.join(" | ") : ""));

    // The report: one file, opened offline.
    const report = path.join(artifacts, "report.html");
    execFileSync(parley, ["report", "examples/jeddah-2025.json", "-o", report, "--draws", "100", "--quiet"], { cwd: root });
    const rpage = await browser.newPage();
    const rerrors = [], requests = [];
    rpage.on("console", (m) => { if (m.type() === "error") rerrors.push(m.text()); });
    rpage.on("pageerror", (e) => rerrors.push(String(e)));
    rpage.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    await rpage.goto("file://" + report);
    const reportCell = await rpage.textContent('#forecast-table td[data-model="1"][data-issue="3"]');
    const base = libraryForecast(JSON.parse(fs.readFileSync(path.join(root, "examples/jeddah-2025.json"), "utf8")), "compromise", "aid");
    check(reportCell === fmt(base), "the report shows the library's forecast (" + reportCell + ")");
    await checkGlance(rpage, libraryJson("examples/jeddah-2025.json"), "the report");
    const glanceFirst = await rpage.$eval("h2", (h) => h.id);
    check(glanceFirst === "glance", "the report's first section is At a glance");
    const strip = await rpage.$eval('div.chart[data-chart="forecast"]', (d) => d.innerHTML);
    check(/80% interval 23\.56 to 84\.4/.test(strip) && strip.includes("status quo (reference point): 0"),
          "the report's forecast strips mark the 80% interval and the status quo");
    const charts = await rpage.$$eval("div.chart svg", (l) => l.length);
    check(charts >= 10, "the report draws its charts (" + charts + ")");
    check(requests.length === 0, "the report needs no network");
    check(rerrors.length === 0, "the report's console has no errors");
    await rpage.screenshot({ path: path.join(artifacts, "report.png"), fullPage: false });
  } finally {
    if (browser) await browser.close();
    server.proc.kill("SIGTERM");
  }
}

main().catch((e) => { console.error(e.message); process.exitCode = 1; });
