# test_parley.py - the Python module against the CLI: same bytes, same errors, lossless tables, threads.
import gc
import hashlib
import json
import os
import threading

import pandas as pd
import pandas.testing as pdt
import pytest

import parley
from conftest import DEU_DEV, FLAGSHIP, ROOT

CLASSIC = "compromise,median,mean,nash"


def test_the_flagship_forecast_with_the_default_plan_is_the_cli_json_byte_for_byte(cli, flagship):
    rc, out, _ = cli("forecast", "examples/jeddah-2025.json", "--format", "json")
    assert rc == 0
    s = parley.read("examples/jeddah-2025.json")  # the same path as the CLI was given: the same input.path
    assert s.forecast().to_json().encode() == out


@pytest.mark.parametrize("spec", ["compromise,bdm:scholz2011", "exchange", "smp", "ensemble,median,tie=upper"])
def test_a_model_spec_gives_the_cli_json_byte_for_byte(cli, spec):
    rc, out, _ = cli("forecast", "examples/jeddah-2025.json", "--format", "json", "--model", spec, "--seed", "7")
    assert rc == 0
    r = parley.read("examples/jeddah-2025.json").forecast(models=spec, seed=7)
    assert r.to_json().encode() == out


def test_the_text_and_csv_reports_are_the_cli_bytes(cli):
    s = parley.read("examples/jeddah-2025.json")
    for fmt, method in (("text", "to_text"), ("csv", "to_csv")):
        rc, out, _ = cli("forecast", "examples/jeddah-2025.json", "--format", fmt, "--model", "compromise,bdm")
        assert rc == 0
        assert getattr(s.forecast("compromise,bdm"), method)().encode() == out


def test_a_deu_batch_forecast_is_the_cli_json_byte_for_byte(cli):
    spec = "ensemble,compromise,median,mean,nash,exchange"
    path = os.path.relpath(DEU_DEV, ROOT)
    rc, out, _ = cli("forecast", path, "--format", "json", "--model", spec)
    assert rc == 0
    s = parley.read(path)
    assert s.is_batch
    assert s.forecast(spec).to_json().encode() == out


def test_a_scenario_built_in_memory_has_no_path_and_the_sha256_of_its_canonical_json(cli, flagship, tmp_path):
    s = parley.Scenario.from_dict(flagship.to_dict())
    assert s.path is None and s.format == "json"
    canonical = s.to_json()
    assert s.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert canonical == flagship.to_json()  # the dict round trip is lossless
    doc = json.loads(s.forecast().to_json())
    assert doc["input"]["path"] is None and doc["input"]["sha256"] == s.sha256
    # the same canonical text in a file gives the CLI's bytes, but for the path
    f = tmp_path / "canonical.json"
    f.write_text(canonical)
    rc, out, _ = cli("forecast", str(f), "--format", "json")
    assert rc == 0
    assert s.forecast().to_json().encode() == out.replace(json.dumps(str(f)).encode(), b"null", 1)


def test_read_errors_carry_their_positions_in_file_order_and_match_the_cli(cli):
    path = "tests/data/bad/values.json"
    rc, _, err = cli("validate", path)
    assert rc == 2
    with pytest.raises(parley.InputError) as e:
        parley.read(path)
    d = e.value.diagnostics
    assert len(d) == 6
    assert all(x["severity"] == "error" and x["file"] == path for x in d)
    assert [(x["line"], x["column"]) for x in d] == sorted((x["line"], x["column"]) for x in d)
    assert d[0] == {"severity": "error", "status": "invalid value", "file": path, "line": 2, "column": 14,
                    "field": "reference", "message": 'issue "x": expected a reference point on the scale [0, 100], '
                    "found 120", "text": f"{path}:2:14: error: reference: issue \"x\": expected a reference point "
                    "on the scale [0, 100], found 120"}
    # every error the CLI prints, and nothing else
    assert sorted(x["text"] for x in d) == sorted(err.strip().split("\n"))
    assert e.value.exit_code == 2 and isinstance(e.value, ValueError) and isinstance(e.value, parley.Error)
    assert str(e.value).split("\n")[0] == d[0]["text"]


def test_a_syntax_error_names_line_column_and_field():
    with pytest.raises(parley.InputError) as e:
        parley.read("tests/data/bad/unknown_key.json")
    (x,) = e.value.diagnostics
    assert (x["line"], x["column"], x["field"]) == (4, 26, "actors[0]")
    assert 'did you mean "capability"' in x["message"]


def test_a_dict_with_bad_values_raises_every_error_and_keeps_notes_apart(flagship):
    d = flagship.to_dict()
    d["stances"][3]["position"] = 300
    d["stances"][1]["salience"] = -1
    with pytest.raises(parley.InputError) as e:
        parley.Scenario.from_dict(d)
    fields = [x["field"] for x in e.value.diagnostics]
    assert sorted(fields) == ["position", "salience"]
    assert all(x["severity"] == "error" for x in e.value.diagnostics)
    assert all(x["severity"] != "error" for x in e.value.warnings)


def test_notes_and_warnings_of_a_good_read_go_to_warnings(cli):
    s = parley.read(DEU_DEV)
    assert s.warnings and all(w["severity"] in ("note", "warning") for w in s.warnings)
    assert any("percentages" in w["message"] for w in s.warnings)
    v = s.validate()
    assert v["issues"] == len(s.issues) and v["outcomes"] > 0 and v["warnings"] == s.warnings


def test_a_missing_file_is_an_input_error_naming_it():
    with pytest.raises(parley.InputError) as e:
        parley.read("no/such/file.json")
    assert e.value.diagnostics[0]["file"] == "no/such/file.json"
    assert "cannot open" in e.value.diagnostics[0]["message"]


def test_a_bad_model_spec_is_an_input_error_with_a_hint(flagship):
    with pytest.raises(parley.InputError) as e:
        flagship.forecast("compromse")
    assert "compromise" in str(e.value)
    with pytest.raises(TypeError):
        flagship.forecast(42)
    with pytest.raises(ValueError):
        flagship.forecast(seed=-1)


def test_a_dataframe_round_trip_is_lossless(flagship):
    df = flagship.to_frame()
    assert list(df.columns[:5]) == ["actor", "issue", "position", "salience", "capability"]
    assert len(df) == 56 and df.attrs["name"] == flagship.name
    s = parley.Scenario.from_frame(df)
    assert s.path is None
    again = s.to_frame()
    pdt.assert_frame_equal(again, df)
    assert again.attrs == df.attrs
    assert s.to_json() == parley.Scenario.from_frame(again).to_json()
    # the table holds every number: the forecasts are the flagship's
    assert [f["value"] for f in s.forecast().forecasts] == [f["value"] for f in flagship.forecast().forecasts]


def test_a_hand_made_frame_is_a_scenario():
    df = pd.DataFrame({"actor": ["a", "b", "c"], "issue": ["x"] * 3, "position": [0.0, 50.0, 100.0],
                       "salience": [1.0, 0.5, 0.25], "capability": [1.0, 2.0, 4.0]})
    s = parley.Scenario.from_frame(df)
    assert s.actors == ["a", "b", "c"] and s.issues == ["x"]
    assert s.forecast("compromise").value("x") == pytest.approx((0 * 1 + 50 * 1 + 100 * 1) / 3)


def test_result_lists_match_the_json_members(flagship):
    r = flagship.forecast("ensemble,compromise,bdm,exchange")
    doc = json.loads(r.to_json())
    keys = ("run", "model", "label", "preset", "issue", "value")
    assert [{k: f[k] for k in keys} for f in r.forecasts] == [{k: f.get(k) for k in keys} for f in doc["forecasts"]]
    assert [f.get("quantiles") for f in r.forecasts] == [f.get("quantiles") for f in doc["forecasts"]]
    assert [f.get("atoms") for f in r.forecasts] == [f.get("atoms") for f in doc["forecasts"]]
    assert len(r.rounds) == len(doc["rounds"])
    assert [x["positions"] for x in r.rounds] == [x["positions"] for x in doc["rounds"]]
    assert len(r.challenges) == len(doc["challenges"]) > 0
    c = {k: v for k, v in r.challenges[5].items()}
    assert c == {k: doc["challenges"][5].get(k) for k in c}
    assert len(r.exchanges) == len(doc["exchanges"]) > 0
    assert r.exchanges[0]["gain"] == doc["exchanges"][0]["gain"]
    assert len(r.externalities) == len(doc["externalities"])
    assert r.negotiations and all(n["model"] == "exchange" for n in r.negotiations)
    assert [x["label"] for x in r.runs] == [m["label"] for m in doc["models"]]


def test_lists_are_converted_on_first_access_and_then_kept(flagship):
    r = flagship.forecast(CLASSIC)
    assert not any(isinstance(x, list) for x in gc.get_referents(r))  # nothing converted yet
    f = r.forecasts
    assert f is r.forecasts
    assert any(x is f for x in gc.get_referents(r))


def test_the_headline_is_the_ensembles_distribution(flagship):
    r = flagship.forecast()
    assert r.headline == 0 and r.runs[0]["model"] == "ensemble"
    lo, hi = r.interval("ceasefire", 0.8)
    assert lo == r.quantile("ceasefire", 0.1) and hi == r.quantile("ceasefire", 0.9)
    assert r.value("ceasefire") == r.quantile("ceasefire", 0.5)
    assert 0 < r.p_reference("ceasefire") < 1
    assert r.crps("ceasefire", 50) >= 0
    assert r.value("ceasefire", run="compromise") == r.forecasts[len(flagship.issues)]["value"]
    df = r.to_pandas("forecasts")
    assert list(df.columns[-8:]) == ["q0.05", "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.95", "p_reference"]
    assert df["q0.5"].iloc[0] == r.value("ceasefire")


def test_to_pandas_gives_every_table(flagship):
    r = flagship.forecast("bdm,exchange")
    rounds = r.to_pandas("rounds")
    assert {"run", "issue", "round", "actor", "position"} <= set(rounds.columns)
    assert len(rounds) == sum(len(x["positions"]) for x in r.rounds)
    for t in ("challenges", "exchanges", "externalities", "negotiations", "runs"):
        assert len(r.to_pandas(t)) == len(getattr(r, t))
    with pytest.raises(ValueError):
        r.to_pandas("nope")


def test_a_threaded_run_equals_a_serial_one(flagship):
    spec = "ensemble,compromise,bdm:scholz2011,exchange,smp"
    serial = [flagship.forecast(spec, seed=k).to_json() for k in range(8)]
    out = [None] * 8

    def work(k):
        out[k] = flagship.forecast(spec, seed=k).to_json()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == serial
    assert flagship.forecast(spec, threads=1).to_json() == flagship.forecast(spec, threads=2).to_json()


def test_montecarlo_is_the_cli_json(cli, flagship):
    rc, out, _ = cli("montecarlo", "examples/jeddah-2025.json", "--draws", "200", "--format", "json", "--threshold",
                     "ceasefire>=60", "--model", "compromise,median")
    assert rc == 0
    mc = parley.read("examples/jeddah-2025.json").montecarlo(200, threshold="ceasefire>=60", models="compromise,median")
    assert mc.to_json().encode() == out
    assert mc.completed == mc.draws == 200
    rows = mc.summary()
    assert rows[0]["n"] == 200 and rows[0]["issue"] == "ceasefire"
    samples = mc.samples("ceasefire", run=0)
    assert len(samples) == 200 and rows[0]["mean"] == pytest.approx(sum(samples) / 200)
    assert mc.probability("ceasefire", ">=", 60, run=0) == sum(x >= 60 for x in samples) / 200
    assert mc.inputs and all("name" in i for i in mc.inputs)
    with pytest.raises(parley.InputError):
        flagship.montecarlo(10, threshold="ceasfire>=60")


def test_sensitivity_and_compare_are_the_cli_json(cli, flagship):
    rc, out, _ = cli("sensitivity", "examples/jeddah-2025.json", "--draws", "50", "--format", "json", "--model", "compromise")
    assert rc == 0
    s = parley.read("examples/jeddah-2025.json")
    rep = s.sensitivity(draws=50, models="compromise")
    assert rep.to_json().encode() == out and "sensitivity" in rep.data
    rc, out, _ = cli("compare", "examples/jeddah-2025.json", "--format", "json", "--model", "compromise,nash")
    assert rc == 0
    cmp = s.compare(models="compromise,nash")
    assert cmp.to_json().encode() == out
    assert [v["id"] for v in cmp.data["variants"]] == s.variants
    assert s.variant(s.variants[0]).forecast("compromise").to_json() != s.forecast("compromise").to_json()


def test_backtest_is_the_cli_json(cli):
    path = os.path.relpath(DEU_DEV, ROOT)
    caps = "examples/capabilities/council-votes-nice.csv"
    rc, out, _ = cli("backtest", path, "--format", "json", "--model", "compromise,median", "--capabilities", caps)
    assert rc == 0
    b = parley.backtest(path, capabilities=caps, models="compromise,median")
    assert b.to_json().encode() == out
    assert [x["label"] for x in b.scores] == ["compromise", "median"]
    assert b.scores[0]["scored"] > 0 and b.to_pandas("issues").shape[0] == 2 * b.data["issues_with_outcome"]


def test_models_lists_every_model_with_its_options_and_help(cli):
    ms = parley.models()
    names = [m["name"] for m in ms]
    _, out, _ = cli("models")
    listed = [line for line in out.decode().split("\n") if line and not line.startswith(" ")]
    assert names == listed and names[0] == "ensemble"
    bdm = ms[names.index("bdm")]
    assert any(p["name"] == "scholz2011" for p in bdm["presets"])
    assert all(o["help"] and o["type"] in ("number", "integer", "choice", "boolean", "file") for o in bdm["options"])


def test_version_is_the_cli_version(cli):
    _, out, _ = cli("--version")
    assert parley.version in out.decode()


def test_help_shows_the_docstrings():
    assert "GIL" in parley.Scenario.forecast.__doc__
    assert "byte for byte" in parley.Result.to_json.__doc__
    assert "diagnostics" in parley.read.__doc__


def test_scenarios_and_results_cannot_be_made_empty():
    with pytest.raises(TypeError):
        parley.Scenario()
    with pytest.raises(TypeError):
        parley.Result()


def test_a_nameless_scenario_built_in_memory_is_titled_unnamed_in_reports(flagship):
    d = flagship.to_dict()
    del d["name"]
    s = parley.Scenario.from_dict(d)
    for text in (s.montecarlo(10, models="compromise").to_text(), s.compare(models="compromise").to_text(),
                 s.sensitivity(draws=10, models="compromise").to_text()):
        assert text.startswith("unnamed scenario\n") and "(null)" not in text
    assert "input -" in s.forecast("compromise").to_text()


def test_validate_checks_a_path_a_dict_or_a_frame_as_parley_validate_does(flagship):
    v = parley.validate("examples/jeddah-2025.json")
    assert (v["actors"], v["issues"], v["format"]) == (10, 6, "json") and v["variants"] == 4
    assert parley.validate(flagship.to_dict())["stances"] == v["stances"] == 56
    assert parley.validate(flagship.to_frame())["reference_points"] == v["reference_points"]
    bad = flagship.to_frame()
    bad.loc[0, "salience"] = 7.5
    with pytest.raises(parley.InputError) as e:
        parley.validate(bad)
    (x,) = e.value.diagnostics
    assert (x["file"], x["line"], x["field"]) == ("<frame>", 7 + 1, "salience")


def test_a_scenario_pickles_as_its_canonical_json_and_runs_in_another_process(flagship):
    import multiprocessing
    import pickle

    copy = pickle.loads(pickle.dumps(flagship))
    assert copy.to_json() == flagship.to_json() and copy.path is None
    with multiprocessing.get_context("fork").Pool(2) as pool:
        values = pool.map(_headline, [flagship] * 2)
    assert values == [flagship.forecast().value("ceasefire")] * 2


def _headline(s):
    return s.forecast().value("ceasefire")
