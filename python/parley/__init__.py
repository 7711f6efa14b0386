"""parley: forecasting how multi-party negotiations end, from Python.

A thin layer over libparley's C API (the parley._native extension): read or build a scenario, run any
model, get tidy tables back. See docs/python.md for a whole session.

    >>> import parley
    >>> s = parley.read("examples/jeddah-2025.json")
    >>> r = s.forecast()                      # the CLI's defaults: seed 1, the default plan
    >>> r.value("ceasefire")                  # the headline (ensemble) forecast
    >>> r.to_pandas("forecasts")
"""
import io as _io
import json as _json

from . import _native
from ._native import Error, InputError, MonteCarlo

__all__ = ["read", "validate", "Scenario", "Result", "MonteCarlo", "Report", "Backtest", "backtest", "models", "version",
           "Error", "InputError"]

version = _native.version
"""The library's version, e.g. "0.1.0" (what `parley --version` prints)."""

_METADATA = ("name", "description", "date", "notes")


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - pandas is a Debian package: python3-pandas
        raise ImportError("this needs pandas (Debian: apt-get install python3-pandas)") from e
    return pandas


class Scenario(_native.Scenario):
    """A validated scenario: actors, issues and each actor's stance on each issue.

    Make one with parley.read(path), Scenario.from_dict(d) or Scenario.from_frame(df). It is read-only:
    share it between threads freely (each forecast releases the GIL while the models run).
    """

    __slots__ = ()

    @classmethod
    def from_dict(cls, d, salience_scale=None):
        """A scenario from a dict in parley's native JSON form (docs/scenario-format.md).

        Raises InputError when it breaks a rule. Built in memory, it has no path, and its SHA-256 is that
        of its canonical JSON (to_json()).
        """
        return _native.read_text(_json.dumps(d, ensure_ascii=False, indent=1, allow_nan=False), "json", "<dict>",
                                 salience_scale)

    @classmethod
    def from_json(cls, text, salience_scale=None):
        """A scenario from native JSON text (what to_json() returns)."""
        return _native.read_text(text, "json", "<json>", salience_scale)

    @classmethod
    def from_frame(cls, df, salience_scale=None):
        """A scenario from the tidy table: one row per actor and issue, columns as the CSV format's
        (actor, issue, position, salience, capability, ...; docs/scenario-format.md). df.attrs may hold the
        scenario's name, description, date, notes and sources (what to_frame() puts there)."""
        buf = _io.StringIO()
        attrs = getattr(df, "attrs", {}) or {}
        for key in _METADATA:
            if attrs.get(key) is not None:
                buf.write(f"# {key}: {attrs[key]}\n")
        for source in attrs.get("sources") or ():
            buf.write(f"# source: {source}\n")
        df.to_csv(buf, index=False, lineterminator="\n")
        return _native.read_text(buf.getvalue(), "csv", "<frame>", salience_scale)

    def to_json(self):
        """The scenario as parley's native JSON text (lossless, canonical)."""
        return self._serialize("json")[0]

    def to_dict(self):
        """The scenario as a dict in the native JSON form: Scenario.from_dict(s.to_dict()) is the same scenario."""
        return _json.loads(self.to_json())

    def to_frame(self):
        """The tidy table: one row per actor and issue (a pandas DataFrame), as the CSV format holds it
        (descriptions, reasons other than the position's, and variants are not part of it); the
        scenario's name, description, date, notes and sources go to df.attrs."""
        pd = _pandas()
        text = self._serialize("csv")[0]
        attrs, lines = {}, text.split("\n")
        body = 0
        while body < len(lines) and lines[body].startswith("# "):
            key, _, value = lines[body][2:].partition(": ")
            if key == "source":
                attrs.setdefault("sources", []).append(value)
            else:
                attrs[key] = value
            body += 1
        df = pd.read_csv(_io.StringIO("\n".join(lines[body:])), float_precision="round_trip", keep_default_na=False,
                         na_values=[""], dtype={"actor": str, "issue": str})
        df.attrs.update(attrs)
        return df

    def validate(self):
        """Checks the scenario again and returns what `parley validate` says of it: a dict with format,
        name, actors, issues, stances, reference_points, outcomes, variants and warnings (the notes and
        warnings reading it gave). A Scenario is validated when it is made (a bad one raises InputError
        then, with every fault in .diagnostics), so this never raises for one that exists."""
        again = _native.read_text(self.to_json(), "json", "<scenario>")
        out = {"format": self.format, "name": self.name}
        out.update(again._counts())
        out["warnings"] = self.warnings
        return out

    def sensitivity(self, draws=1000, threads=0, models=None, seed=1, top=10):
        """Which uncertain numbers move each forecast: one-at-a-time swings and regression coefficients over
        draws Monte Carlo draws, as `parley sensitivity` reports them. Returns a Report."""
        return Report(*self._sensitivity(draws, threads, models, seed, top))

    def compare(self, models=None, seed=1, threads=0):
        """The base case and every variant (what-if) the scenario declares, side by side, as `parley compare`
        reports them. Returns a Report."""
        return Report(*self._compare(models, seed, threads))

    def __reduce__(self):
        # pickled as its canonical JSON (multiprocessing sends scenarios so): the copy is built in memory, so
        # it has no path
        return (_native.read_text, (self.to_json(), "json", "<pickle>"))

    def __repr__(self):
        return (f"<parley.Scenario {self.name or self.path or '(unnamed)'!r}: {len(self.actors)} actors, "
                f"{len(self.issues)} issues>")


class Result(_native.Result):
    """What one Scenario.forecast() produced: forecasts per run and issue, and what the models recorded.

    The lists (forecasts, rounds, challenges, exchanges, externalities, negotiations) are lists of dicts,
    built from the C result on first access; to_pandas(name) gives one as a DataFrame, and to_json() the
    CLI's JSON bytes.
    """

    __slots__ = ()
    _TABLES = ("forecasts", "rounds", "challenges", "exchanges", "externalities", "negotiations", "runs")

    def to_pandas(self, table="forecasts"):
        """One of the result's lists as a DataFrame. Forecasts get a column per quantile (q0.05 ... q0.95)
        and p_reference, empty for point forecasts; rounds get a row per actor (long form: actor,
        position, risk) so that trajectories plot directly."""
        pd = _pandas()
        if table not in self._TABLES:
            raise ValueError(f"table: expected one of {', '.join(self._TABLES)}, found {table!r}")
        rows = getattr(self, table)
        if table == "forecasts":
            flat = []
            keys = [k for k, _ in _native.quantile_levels()]
            for f in rows:
                g = {k: v for k, v in f.items() if k not in ("quantiles", "atoms")}
                q = f.get("quantiles") or {}
                for k in keys:
                    g["q" + k] = q.get(k)
                g.setdefault("p_reference", None)
                flat.append(g)
            cols = ["run", "model", "label", "preset", "issue", "value", "note"] + ["q" + k for k in keys] + ["p_reference"]
            return pd.DataFrame(flat, columns=cols)
        if table == "rounds":
            flat = []
            for r in rows:
                risk = r.get("risk") or {}
                for actor, pos in r["positions"].items():
                    flat.append({"run": r["run"], "model": r["model"], "label": r["label"], "issue": r["issue"],
                                 "round": r["round"], "actor": actor, "position": pos, "risk": risk.get(actor),
                                 "median": r["median"], "mean": r["mean"]})
            return pd.DataFrame(flat, columns=["run", "model", "label", "issue", "round", "actor", "position", "risk",
                                               "median", "mean"])
        return pd.DataFrame(rows)

    def __repr__(self):
        return f"<parley.Result: {len(self.runs)} runs, seed {self.seed}>"


class Report:
    """A report the library wrote: .data (the JSON, parsed), to_json() and to_text() (the CLI's bytes)."""

    __slots__ = ("_json", "_text", "_data")

    def __init__(self, json_text, text):
        self._json, self._text, self._data = json_text, text, None

    @property
    def data(self):
        """The report's JSON as Python objects."""
        if self._data is None:
            self._data = _json.loads(self._json)
        return self._data

    def to_json(self):
        return self._json

    def to_text(self):
        return self._text

    def __repr__(self):
        return "<parley.Report>"


class Backtest(Report):
    """Models scored against decisions with known outcomes (parley.backtest): .scores (per run: label,
    scored, mae, median_ae), .issues (per run and issue: forecast, outcome, error), to_pandas(), and the
    CLI's reports (to_json, to_text, to_csv)."""

    __slots__ = ("scores", "issues", "capabilities", "_csv")

    def __init__(self, d):
        super().__init__(d["json"], d["text"])
        self.scores, self.issues, self.capabilities, self._csv = d["scores"], d["issues"], d["capabilities"], d["csv"]

    def to_csv(self):
        return self._csv

    def to_pandas(self, table="scores"):
        """scores or issues as a DataFrame."""
        if table not in ("scores", "issues"):
            raise ValueError(f"table: expected scores or issues, found {table!r}")
        return _pandas().DataFrame(getattr(self, table))

    def __repr__(self):
        return f"<parley.Backtest: {len(self.scores)} models, capabilities {self.capabilities}>"


_native._register(Scenario, Result)


def read(path, format=None, salience_scale=None):
    """Reads the scenario file at path, in any format parley reads: json, csv, bdm, ktab, decide, deu
    (format None sniffs it). salience_scale: "auto" (default), "fraction" or "percent".

    Raises InputError, whose .diagnostics lists every error (file, line, column, field, message) in file
    order; the notes and warnings of a good read are in the scenario's .warnings.
    """
    return _native.read(path, format, salience_scale)


def validate(source, format=None, salience_scale=None):
    """Checks a scenario as `parley validate` does and returns what it says (Scenario.validate()): source is
    a path, a dict in the native JSON form, or a DataFrame of the tidy table. Raises InputError with every
    fault in .diagnostics (file, line, column, field, message; in file order)."""
    if isinstance(source, Scenario):
        return source.validate()
    if isinstance(source, dict):
        return Scenario.from_dict(source, salience_scale).validate()
    if hasattr(source, "to_csv") and hasattr(source, "columns"):
        return Scenario.from_frame(source, salience_scale).validate()
    return read(source, format, salience_scale).validate()


def backtest(path, capabilities=None, models=None, seed=1, threads=0, format=None, salience_scale=None):
    """Scores models against decisions with known outcomes (e.g. DEU III), as `parley backtest` does.

    path: a file or a Scenario. capabilities: None or "equal" (every actor weight 1) or a CSV of weights
    (actor,weight[,from,to]). models: a SPEC; None: the default backtest plan. Returns a Backtest.
    """
    return Backtest(_native._backtest(path, capabilities, models, seed, threads, format, salience_scale))


def models():
    """Every model parley has: name, summary, scope, records, presets (name, options, help) and options
    (name, type, default, choices, min, max, help), as `parley models` lists them."""
    return _native.models()
