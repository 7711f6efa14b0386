// app.js - the parley web UI: edits a scenario in the browser and asks the local server (the parley
// library) for forecasts, charts, Monte Carlo runs and variant comparisons. No outside network.
"use strict";

// The models, their options and traits come from the server's registry (GET /api/models): the UI names no model.
let MODELS = [];
let scenario = null;
let pending = null;
let generation = 0;

const $ = (id) => document.getElementById(id);

function num(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "-";
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

// A number on an issue's scale as the text and HTML reports write it (report_fmt_on): up to two decimals,
// trailing zeros dropped, on ordinary scales; else the fewest of 1-4 significant digits that read back.
function scaleNum(x, lo, hi) {
  if (x === null || x === undefined || Number.isNaN(x)) return "-";
  const ordinary = Math.max(Math.abs(lo), Math.abs(hi)) < 1e15 && hi / 2 - lo / 2 >= 0.005;
  if (Math.abs(x) < 1e15 && (x === 0 || ordinary)) {
    const t = x.toFixed(2).replace(/\.?0+$/, "");
    return t === "-0" ? "0" : t;
  }
  let t = "";
  for (let p = 1; p <= 4; p++) {
    const [m, e] = x.toExponential(p - 1).split("e");
    const exp = Number(e);
    if (exp < -4 || exp >= p) {
      t = m.replace(/\.?0+$/, "") + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
    } else {
      t = x.toFixed(Math.max(0, p - 1 - exp));
      if (t.includes(".")) t = t.replace(/\.?0+$/, "");
    }
    if (Number(t) === x) break;
  }
  return t;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function value(v) { return v !== null && typeof v === "object" ? v.value : v; }

// Sets a number; a range it carries moves with it, kept within the field's legal range [lo, hi].
function setValue(obj, key, v, lo, hi) {
  const n = obj[key];
  if (n === null || typeof n !== "object") { obj[key] = v; return; }
  const delta = v - n.value;
  n.value = v;
  if (Array.isArray(n.range)) n.range = n.range.map((b) => Math.min(hi, Math.max(lo, b + delta)));
  if (typeof n.low === "number") n.low = Math.min(v, Math.max(lo, n.low + delta));
  if (typeof n.high === "number") n.high = Math.max(v, Math.min(hi, n.high + delta));
  if (Array.isArray(n.range)) n.range = [Math.min(v, n.range[0]), Math.max(v, n.range[1])];
}

// The SPEC item of a chosen model: name[:preset], then each option whose field differs from its default.
function modelSpec(m) {
  const preset = $("preset-" + m.name);
  let spec = m.name + (preset && preset.value ? ":" + preset.value : "");
  for (const o of m.options) {
    const f = $("opt-" + m.name + "-" + o.name);
    if (!f) continue;
    const v = o.type === "boolean" ? String(f.checked) : f.value.trim();
    if (v !== "" && v !== o.default) spec += "," + o.name + "=" + v;
  }
  return spec;
}

function selectedModels() {
  return MODELS.filter((m) => $("model-" + m.name).checked).map(modelSpec);
}

async function api(path, query = {}) {
  const q = new URLSearchParams(query).toString();
  const res = await fetch("/api/" + path + (q ? "?" + q : ""), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(scenario),
  });
  const type = res.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new Error((body && body.error ? body.error : "request failed") +
                               (body && body.diagnostics ? ": " + body.diagnostics.join("; ") : ""));
  return body;
}

function issueName(i) { return i.label || i.id; }
function actorName(a) { return a.name || a.id; }

// One field for an option, from its declaration: a list for a choice, a box for a boolean, a number else.
function optionField(m, o) {
  const id = "opt-" + m.name + "-" + o.name;
  let f;
  if (o.type === "choice") {
    f = el("select", { id, "aria-label": m.name + " " + o.name });
    for (const c of o.choices) f.append(el("option", { value: c }, c));
    f.value = o.default;
  } else if (o.type === "boolean") {
    f = el("input", { type: "checkbox", id, "aria-label": m.name + " " + o.name });
    f.checked = ["true", "1", "yes"].includes(o.default);
  } else {
    f = el("input", { type: "number", id, value: o.default, step: o.type === "integer" ? "1" : "any", size: "6",
                      "aria-label": m.name + " " + o.name });
    if (o.range && o.range[0] !== null) f.min = o.range[0];
    if (o.range && o.range[1] !== null) f.max = o.range[1];
  }
  f.addEventListener("change", schedule);
  const row = el("label", { title: o.help || "" });
  row.append(o.name + " ", f);
  return row;
}

// Live forecasts follow every slider: by default the models that suit the scenario and take each issue
// alone (quick); those that play all issues at once are a click away.
function renderModels() {
  const box = $("models");
  box.replaceChildren();
  for (const m of MODELS) {
    const label = el("label", { title: m.summary + (m.records.length ? " (records " + m.records.join(", ") + ")" : "") });
    const cb = el("input", { type: "checkbox", id: "model-" + m.name, "data-scope": m.scope });
    cb.checked = m.suits !== false && m.scope === "issue";
    cb.addEventListener("change", schedule);
    label.append(cb, " " + m.name);
    box.append(label);
    if (!m.options.length && !m.presets.length) continue;
    const more = el("details", { class: "model-options", id: "options-" + m.name });
    more.append(el("summary", { "aria-label": m.name + " options" }, "⚙"));
    if (m.presets.length) {
      const sel = el("select", { id: "preset-" + m.name, "aria-label": m.name + " preset" });
      sel.append(el("option", { value: "" }, "no preset"));
      for (const p of m.presets) sel.append(el("option", { value: p.name, title: p.help || "" }, p.name));
      sel.addEventListener("change", schedule);
      const row = el("label");
      row.append("preset ", sel);
      more.append(row);
    }
    for (const o of m.options) more.append(optionField(m, o));
    box.append(more);
  }
}

function renderScenario() {
  $("title").textContent = scenario.name || "parley";
  $("subtitle").textContent = (scenario.date ? scenario.date + " · " : "") +
    scenario.actors.length + " actors, " + scenario.issues.length + " issues";
  const filter = $("issue-filter");
  filter.replaceChildren(el("option", { value: "" }, "all issues"));
  for (const i of scenario.issues) filter.append(el("option", { value: i.id }, issueName(i)));
  filter.onchange = renderStances;
  renderStances();
  renderActors();
}

function slider(min, max, step, v, onInput, label) {
  const r = el("input", { type: "range", min, max, step, "aria-label": label });
  r.value = v;
  const out = el("span", { class: "val" }, num(Number(v)));
  r.addEventListener("input", () => { out.textContent = num(Number(r.value)); onInput(Number(r.value)); schedule(); });
  return [r, out];
}

function renderStances() {
  const t = $("stances");
  const only = $("issue-filter").value;
  t.replaceChildren();
  const head = el("tr");
  for (const h of ["actor", "issue", "position", "salience"]) head.append(el("th", {}, h));
  t.append(head);
  const issues = Object.fromEntries(scenario.issues.map((i) => [i.id, i]));
  const actors = Object.fromEntries(scenario.actors.map((a) => [a.id, a]));
  scenario.stances.forEach((s, idx) => {
    if (only && s.issue !== only) return;
    const issue = issues[s.issue];
    const row = el("tr", { "data-stance": String(idx) });
    row.append(el("td", {}, actorName(actors[s.actor] || { id: s.actor })), el("td", {}, issue ? issue.id : s.issue));
    const [pos, posOut] = slider(issue.low, issue.high, (issue.high - issue.low) / 100, value(s.position),
                                 (v) => setValue(s, "position", v, issue.low, issue.high), "position of " + s.actor + " on " + s.issue);
    pos.id = "pos-" + s.actor + "-" + s.issue;
    const [sal, salOut] = slider(0, 1, 0.01, value(s.salience), (v) => setValue(s, "salience", v, 0, 1),
                                 "salience of " + s.actor + " on " + s.issue);
    sal.id = "sal-" + s.actor + "-" + s.issue;
    const tdp = el("td"); tdp.append(pos, " ", posOut);
    const tds = el("td"); tds.append(sal, " ", salOut);
    row.append(tdp, tds);
    t.append(row);
  });
}

// A text cell that edits obj[key] in place (names and labels: they change the report, not the numbers).
function textInput(obj, key, fallback, label) {
  const i = el("input", { type: "text", value: obj[key] || fallback, "aria-label": label, size: "28" });
  i.addEventListener("change", () => { obj[key] = i.value; renderStances(); schedule(); });
  return i;
}

function renderIssues() {
  const t = $("issues");
  t.replaceChildren();
  const head = el("tr");
  for (const h of ["issue", "label", "scale"]) head.append(el("th", {}, h));
  t.append(head);
  for (const i of scenario.issues) {
    const row = el("tr");
    const td = el("td");
    td.append(textInput(i, "label", i.id, "label of " + i.id));
    row.append(el("td", {}, i.id), td, el("td", {}, num(i.low) + " to " + num(i.high)));
    t.append(row);
  }
}

function renderActors() {
  renderIssues();
  const t = $("actors");
  t.replaceChildren();
  const head = el("tr");
  for (const h of ["actor", "name", "capability"]) head.append(el("th", {}, h));
  t.append(head);
  const max = Math.max(100, ...scenario.actors.map((a) => Number(value(a.capability) || 1)));
  for (const a of scenario.actors) {
    if (a.capability === undefined) a.capability = 1;
    const row = el("tr");
    const name = el("td");
    name.append(textInput(a, "name", a.id, "name of " + a.id));
    row.append(el("td", {}, a.id), name);
    const [cap, capOut] = slider(0, max, max / 200, value(a.capability), (v) => setValue(a, "capability", v, 0, Infinity),
                                 "capability of " + a.id);
    cap.id = "cap-" + a.id;
    const td = el("td"); td.append(cap, " ", capOut);
    row.append(td);
    t.append(row);
  }
}

function schedule() {
  clearTimeout(pending);
  pending = setTimeout(update, 120);
}

async function update() {
  const my = ++generation;
  const models = selectedModels();
  if (!models.length) { $("status").textContent = "choose at least one model"; return; }
  $("status").textContent = "computing…";
  try {
    const model = models.join(",");
    const [forecast, chart] = await Promise.all([api("forecast", { model }), api("plot", { model, chart: "forecast" })]);
    if (my !== generation) return; // a newer edit is on its way
    renderGlance(forecast, my);
    renderForecast(forecast);
    $("chart").innerHTML = chart;
    $("chart").setAttribute("data-generation", String(my));
    $("status").textContent = "";
  } catch (e) {
    if (my === generation) $("status").innerHTML = "";
    if (my === generation) $("status").append(el("span", { class: "error" }, e.message));
  }
}

// Where v lies on issue i's scale in the scale's words, as the reports say it (report_lean): "toward 'HIGH
// LABEL'", "leans toward 'A'" near the middle, "at 'LOW LABEL'" (on an end), "midway between 'A' and 'B'";
// an unlabelled end is named by its number.
function leanWords(i, v) {
  const lo = i.low, hi = i.high;
  if (v === null || v === undefined || !(hi > lo)) return "";
  const mid = lo / 2 + hi / 2;
  const a = scaleNum(lo, lo, hi), z = scaleNum(hi, lo, hi);
  if (v === mid) return i.low_label && i.high_label ? "midway between '" + i.low_label + "' and '" + i.high_label + "'"
                                                    : "midway between " + a + " and " + z;
  // Within a tenth of the scale's width of its middle the forecast only leans.
  const low = v < mid, label = low ? i.low_label : i.high_label;
  const how = v === (low ? lo : hi) ? "at" : Math.abs(v / 2 - mid / 2) < 0.1 * (hi / 2 - lo / 2) ? "leans toward" : "toward";
  return label ? how + " '" + label + "'" : how + " the " + (low ? "low" : "high") + " end (" + (low ? a : z) + ")";
}

// The headline table: per issue the headline run's forecast (the first run that gives distributions, the
// ensemble), its 80% interval [q0.1, q0.9], the range of the other runs' forecasts (flagged where wider
// than the interval) and the forecast in the scale's words: the same table the reports lead with.
function renderGlance(f, gen) {
  const t = $("glance-table");
  t.replaceChildren();
  const has = (fc) => fc && fc.quantiles && typeof fc.quantiles === "object";
  const headline = f.models.findIndex((m, run) => f.forecasts.some((x) => x.run === run && has(x)));
  const about = $("glance-about");
  if (headline >= 0) {
    about.replaceChildren("The ", el("b", {}, runLabel(f.models[headline])), " forecast of each issue (the median of its " +
                          "predictive distribution), its 80% interval, and the range of the other models' forecasts.");
  } else {
    about.textContent = "No model chosen here gives a predictive distribution, so each issue shows the first model's forecast" +
      (f.models.length ? " (" + runLabel(f.models[0]) + ")" : "") + " with no interval, and the range of the other models' " +
      "forecasts (choose the ensemble for one).";
  }
  const thead = el("thead"), head = el("tr");
  for (const h of ["issue", "forecast", "80% interval", "other models"]) head.append(el("th", { scope: "col" }, h));
  head.append(el("th", { scope: "col", class: "words" }, "in the scale's words"));
  thead.append(head);
  const body = el("tbody");
  let flagged = false;
  for (const issue of scenario.issues) {
    const lo = issue.low, hi = issue.high, n = (x) => scaleNum(x, lo, hi);
    const of = (run) => f.forecasts.find((x) => x.issue === issue.id && x.run === run);
    const valued = (run) => { const x = of(run); return x && x.value !== null && x.value !== undefined; };
    let lead = headline >= 0 && valued(headline) ? headline : f.models.findIndex((m, run) => valued(run));
    const fc = lead >= 0 ? of(lead) : null;
    const v = fc ? fc.value : null;
    const q = has(fc) ? fc.quantiles : null;
    let mn = Infinity, mx = -Infinity;
    f.models.forEach((m, run) => { if (run !== lead && valued(run)) { mn = Math.min(mn, of(run).value); mx = Math.max(mx, of(run).value); } });
    const wider = mn <= mx && q !== null && mx / 2 - mn / 2 > q["0.9"] / 2 - q["0.1"] / 2;
    flagged = flagged || wider;
    const row = el("tr", { "data-issue": issue.id });
    row.append(el("th", { scope: "row" }, issueName(issue)));
    row.append(el("td", lead >= 0 ? { "data-field": "forecast", "data-run": String(lead) } : { "data-field": "forecast" }, n(v)));
    row.append(el("td", { "data-field": "interval" }, q ? n(q["0.1"]) + " to " + n(q["0.9"]) : "-"));
    const range = el("td", wider ? { "data-field": "range", "data-wider": "true" } : { "data-field": "range" },
                     mn < mx ? n(mn) + " to " + n(mx) : mn === mx ? n(mn) : "-");
    if (wider) range.append(" ", el("span", { class: "flag", role: "img", "aria-label": "wider than the 80% interval",
                                              title: "wider than the 80% interval" }, "!"));
    row.append(range);
    let words = v === null ? "no model gives this issue a forecast" : leanWords(issue, v);
    if (lead >= 0 && headline >= 0 && lead !== headline)
      words += " (" + runLabel(f.models[lead]) + "'s forecast: " + runLabel(f.models[headline]) + " gives none)";
    row.append(el("td", { class: "words", "data-field": "words" }, words));
    body.append(row);
  }
  t.append(thead, body);
  t.setAttribute("data-headline", headline >= 0 ? "true" : "false");
  t.setAttribute("data-generation", String(gen));
  $("glance-note").textContent = flagged ? "! the other models' forecasts spread wider than the 80% interval: they disagree more " +
    "than the headline's own uncertainty allows for: weigh them before relying on one number." : "";
}

function runLabel(m) {
  return m.label || m.model + (m.preset ? ":" + m.preset : "");
}

function renderForecast(f) {
  const t = $("forecast-table");
  const old = {};
  for (const td of t.querySelectorAll("td[data-key]")) old[td.getAttribute("data-key")] = td.textContent;
  t.replaceChildren();
  const head = el("tr");
  head.append(el("th", {}, "issue"));
  for (const m of f.models) head.append(el("th", {}, runLabel(m)));
  t.append(head);
  for (const issue of scenario.issues) {
    const row = el("tr");
    row.append(el("td", {}, issueName(issue)));
    f.models.forEach((m, run) => {
      const fc = f.forecasts.find((x) => x.issue === issue.id && x.run === run);
      const key = run + "/" + issue.id;
      const td = el("td", { "data-key": key, "data-run": String(run), "data-model": m.model, "data-issue": issue.id },
                    num(fc ? fc.value : null));
      if (fc && fc.note) td.title = fc.note;
      if (old[key] !== undefined && old[key] !== td.textContent) td.className = "changed";
      row.append(td);
    });
    t.append(row);
  }
}

async function runMonteCarlo() {
  const models = selectedModels();
  $("mc-progress").textContent = "running " + $("draws").value + " draws…";
  $("run-mc").disabled = true;
  try {
    const r = await api("montecarlo", { model: models.join(","), draws: $("draws").value });
    const t = $("mc-table");
    t.replaceChildren();
    const head = el("tr");
    // The quantile keys are the levels, as in every parley output ("0.05" ... "0.95").
    const levels = ["0.05", "0.5", "0.95"];
    for (const h of ["model", "issue", "base", "mean", "sd", ...levels.map((q) => Math.round(Number(q) * 100) + "%")])
      head.append(el("th", { scope: "col" }, h));
    t.append(head);
    for (const x of r.montecarlo.results) {
      const row = el("tr", { "data-run": String(x.run), "data-issue": x.issue });
      for (const v of [x.label || x.model, x.issue, num(x.base), num(x.mean), num(x.sd)]) row.append(el("td", {}, v));
      for (const q of levels) row.append(el("td", { "data-quantile": q }, num(x.quantiles[q])));
      t.append(row);
    }
    $("mc-progress").textContent = r.montecarlo.completed + " draws of " + r.montecarlo.inputs.length + " uncertain inputs";
  } catch (e) {
    $("mc-progress").textContent = e.message;
  }
  $("run-mc").disabled = false;
}

async function runCompare() {
  $("compare-progress").textContent = "running…";
  try {
    const r = await api("compare", { model: selectedModels().join(",") });
    const box = $("compare");
    box.replaceChildren();
    if (!r.variants.length) box.append(el("p", { class: "muted" }, "This scenario declares no variants."));
    for (const v of r.variants) {
      box.append(el("h3", {}, v.name || v.id));
      if (v.description) box.append(el("p", { class: "muted" }, v.description));
      const t = el("table");
      const head = el("tr");
      for (const h of ["model", "issue", "base", "variant", "change"]) head.append(el("th", {}, h));
      t.append(head);
      for (const x of v.forecasts) {
        const row = el("tr");
        for (const c of [x.label || x.model, x.issue, num(x.base), num(x.value), (x.change > 0 ? "+" : "") + num(x.change)]) row.append(el("td", {}, c));
        t.append(row);
      }
      box.append(t);
    }
    $("compare-progress").textContent = "";
  } catch (e) {
    $("compare-progress").textContent = e.message;
  }
}

function download() {
  const blob = new Blob([JSON.stringify(scenario, null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: (scenario.name || "scenario").replace(/[^A-Za-z0-9_-]+/g, "-") + ".json" });
  document.body.append(a);
  a.click();
  a.remove();
}

async function open(file) {
  const text = await file.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch (e) { $("status").textContent = "not JSON: " + e.message; return; }
  const previous = scenario;
  scenario = parsed;
  try {
    const v = await api("validate");
    if (!v.valid) throw new Error(v.diagnostics.join("; "));
    renderScenario();
    schedule();
  } catch (e) {
    scenario = previous;
    $("status").textContent = "cannot open " + file.name + ": " + e.message;
  }
}

async function start() {
  MODELS = (await (await fetch("/api/models")).json()).models;
  renderModels();
  const res = await fetch("/api/scenario");
  scenario = await res.json();
  renderScenario();
  $("run-mc").addEventListener("click", runMonteCarlo);
  $("run-compare").addEventListener("click", runCompare);
  $("download").addEventListener("click", download);
  $("open").addEventListener("change", (e) => { if (e.target.files[0]) open(e.target.files[0]); });
  await update();
  document.body.setAttribute("data-ready", "true");
}

start();
