/* native.c - parley._native: libparley's public API (the headers in include/parley) as a CPython extension module. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/parley.h"

/* ---- module state (single-phase init: one interpreter) ---- */

static PyObject *Error;         /* parley.Error */
static PyObject *InputError;    /* parley.InputError(Error, ValueError) */
static PyObject *plan_cache;    /* SPEC text -> plan capsule */
static PyTypeObject *scenario_class; /* what constructors make: parley.Scenario (a subclass), else ours */
static PyTypeObject *result_class;
static unsigned long main_ident; /* the thread Python runs signal handlers on */

#define PLAN_CACHE_MAX 256

/* ---- Ctrl-C ----
 * Python's own SIGINT handler only notes the signal; the Python-level handler (KeyboardInterrupt) runs when
 * the main thread next runs bytecode, which it does not while a model runs with the GIL released. So a run
 * on the main thread installs a handler that sets the run's cancel flag and then calls Python's: the run
 * stops at its next round, and PyErr_CheckSignals raises what Python's handler raises. The handler stays
 * installed after the run (between runs it only sets a flag the next run clears, and calls Python's), so a
 * loop of runs pays one sigaction per call; one that finds another handler in its place (signal.signal
 * since) chains to that one instead, and one that finds SIGINT ignored or at its default leaves it so. */

static volatile int interrupted;
static struct sigaction python_sigint; /* the handler ours chains to (Python's) */

static void on_sigint(int sig, siginfo_t *info, void *ctx)
{
    interrupted = 1;
    if (python_sigint.sa_flags & SA_SIGINFO) {
        if (python_sigint.sa_sigaction) python_sigint.sa_sigaction(sig, info, ctx);
    } else if (python_sigint.sa_handler != SIG_DFL && python_sigint.sa_handler != SIG_IGN) {
        python_sigint.sa_handler(sig);
    }
}

static bool is_ours(const struct sigaction *sa)
{
    return (sa->sa_flags & SA_SIGINFO) && sa->sa_sigaction == on_sigint;
}

/* Returns the cancel flag a run on this thread should watch (NULL: none), with the chained handler in
 * place when this is the main thread and SIGINT is caught. Called with the GIL held. */
static volatile int *watch_begin(void)
{
    if (PyThread_get_thread_ident() != main_ident) return NULL;
    struct sigaction sa, prev;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigint;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, &prev) != 0) return NULL;
    if (!is_ours(&prev)) {
        if (!(prev.sa_flags & SA_SIGINFO) && (prev.sa_handler == SIG_DFL || prev.sa_handler == SIG_IGN)) {
            sigaction(SIGINT, &prev, NULL); /* not caught: Ctrl-C ends the process, or nothing, as it would */
            return NULL;
        }
        python_sigint = prev; /* until here a signal chained to the one saved before: Python's too */
    }
    interrupted = 0;
    return &interrupted;
}

/* ---- errors ---- */

static const char *severity_name(parley_severity s)
{
    return s == PARLEY_SEVERITY_ERROR ? "error" : s == PARLEY_SEVERITY_WARNING ? "warning" : "note";
}

static PyObject *str_or_none(const char *s)
{
    if (!s) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

static PyObject *num_or_none(double v)
{
    if (isnan(v)) Py_RETURN_NONE;
    return PyFloat_FromDouble(v);
}

static PyObject *diag_dict(const parley_diag *d)
{
    char small[512];
    int n = parley_diag_format(d, small, sizeof small);
    char *big = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
    if (big) parley_diag_format(d, big, (size_t)n + 1);
    PyObject *line = d->line ? PyLong_FromLong(d->line) : (Py_INCREF(Py_None), Py_None);
    PyObject *col = d->column ? PyLong_FromLong(d->column) : (Py_INCREF(Py_None), Py_None);
    PyObject *r = Py_BuildValue("{s:s,s:s,s:N,s:N,s:N,s:N,s:N,s:N}", "severity", severity_name(d->severity), "status",
                                parley_status_message(d->status), "file", str_or_none(d->file), "line", line, "column", col,
                                "field", str_or_none(d->field), "message", str_or_none(d->message), "text",
                                str_or_none(big ? big : small));
    free(big);
    return r;
}

/* A diagnostic's place in its file, for ordering: unknown lines last. */
static long long diag_place(const parley_diag *d)
{
    return d->line ? (long long)d->line * 1000000 + d->column : LLONG_MAX;
}

/* Sets *errors (error-severity diagnostics, in file order) and *warnings (the rest, as given). */
static int diag_lists(const parley_error *err, PyObject **errors, PyObject **warnings)
{
    *errors = PyList_New(0), *warnings = PyList_New(0);
    if (!*errors || !*warnings) goto fail;
    size_t n = parley_error_count(err), ne = 0;
    const parley_diag **e = calloc(n ? n : 1, sizeof *e);
    if (!e) goto fail;
    for (size_t i = 0; i < n; i++) {
        const parley_diag *d = parley_error_at(err, i);
        if (d->severity == PARLEY_SEVERITY_ERROR) {
            size_t k = ne++; /* insertion sort: stable, and there are at most PARLEY_MAX_ERRORS */
            while (k > 0 && diag_place(e[k - 1]) > diag_place(d)) e[k] = e[k - 1], k--;
            e[k] = d;
            continue;
        }
        PyObject *x = diag_dict(d);
        if (!x || PyList_Append(*warnings, x) < 0) {
            Py_XDECREF(x);
            free(e);
            goto fail;
        }
        Py_DECREF(x);
    }
    for (size_t i = 0; i < ne; i++) {
        PyObject *x = diag_dict(e[i]);
        if (!x || PyList_Append(*errors, x) < 0) {
            Py_XDECREF(x);
            free(e);
            goto fail;
        }
        Py_DECREF(x);
    }
    free(e);
    return 0;
fail:
    Py_CLEAR(*errors);
    Py_CLEAR(*warnings);
    return -1;
}

/* Raises the Python exception for a failed call: KeyboardInterrupt when cancelled, MemoryError, InputError
 * (bad input, usage, I/O: with .diagnostics and .warnings) or parley.Error. Returns NULL. */
static PyObject *raise_status(parley_status st, const parley_error *err)
{
    if (PyErr_Occurred()) return NULL;
    if (st == PARLEY_OK) st = parley_error_status(err);
    if (st == PARLEY_E_CANCELLED) {
        if (PyErr_CheckSignals() == 0) PyErr_SetNone(PyExc_KeyboardInterrupt);
        return NULL;
    }
    if (st == PARLEY_E_NOMEM) return PyErr_NoMemory();
    PyObject *errors, *warnings;
    if (diag_lists(err, &errors, &warnings) < 0) return NULL;
    PyObject *msg = PyUnicode_FromString("");
    for (Py_ssize_t i = 0; msg && i < PyList_GET_SIZE(errors); i++) {
        PyObject *t = PyDict_GetItemString(PyList_GET_ITEM(errors, i), "text");
        PyObject *joined = PyUnicode_FromFormat("%U%s%U", msg, i ? "\n" : "", t);
        Py_SETREF(msg, joined);
    }
    if (msg && PyUnicode_GET_LENGTH(msg) == 0) Py_SETREF(msg, PyUnicode_FromString(parley_status_message(st)));
    bool input = st == PARLEY_E_SYNTAX || st == PARLEY_E_INVALID || st == PARLEY_E_LIMIT || st == PARLEY_E_USAGE ||
                 st == PARLEY_E_IO;
    PyObject *exc = msg ? PyObject_CallOneArg(input ? InputError : Error, msg) : NULL;
    Py_XDECREF(msg);
    if (exc) {
        PyObject *status = PyUnicode_FromString(parley_status_message(st));
        PyObject *code = PyLong_FromLong(parley_status_exit_code(st));
        if (!status || !code || PyObject_SetAttrString(exc, "diagnostics", errors) < 0 ||
            PyObject_SetAttrString(exc, "warnings", warnings) < 0 || PyObject_SetAttrString(exc, "status", status) < 0 ||
            PyObject_SetAttrString(exc, "exit_code", code) < 0)
            Py_CLEAR(exc);
        Py_XDECREF(status);
        Py_XDECREF(code);
    }
    Py_DECREF(errors);
    Py_DECREF(warnings);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

static parley_error *new_error(void)
{
    parley_error *err = parley_error_new();
    if (!err) PyErr_NoMemory();
    return err;
}

/* ---- plans ---- */

static void plan_capsule_free(PyObject *cap)
{
    parley_plan_free(PyCapsule_GetPointer(cap, "parley.plan"));
}

static PyObject *plan_capsule(parley_plan *plan)
{
    PyObject *cap = PyCapsule_New(plan, "parley.plan", plan_capsule_free);
    if (!cap) parley_plan_free(plan);
    return cap;
}

static parley_plan *plan_of(PyObject *cap)
{
    return PyCapsule_GetPointer(cap, "parley.plan");
}

/* Whether a plan read a file when it was made (a FILE option set): such a plan is parsed at every call, so
 * that an edited file is read again, as the CLI would. */
static bool plan_reads_files(const parley_plan *plan)
{
    for (size_t i = 0; i < parley_plan_count(plan); i++) {
        const parley_model *m = parley_plan_model(plan, i);
        for (size_t j = 0; j < parley_model_option_count(m); j++)
            if (parley_model_option(m, j)->type == PARLEY_OPTION_FILE && *parley_plan_option_text(plan, i, j)) return true;
    }
    return false;
}

/* Returns a new reference to the plan capsule for SPEC text spec (a str), parsed once and cached. */
static PyObject *plan_for_spec(PyObject *spec)
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError, "models: expected a SPEC string such as \"compromise,bdm:scholz2011\", found %s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    PyObject *cap = PyDict_GetItemWithError(plan_cache, spec);
    if (cap) return Py_NewRef(cap);
    if (PyErr_Occurred()) return NULL;
    const char *text = PyUnicode_AsUTF8(spec);
    if (!text) return NULL;
    parley_error *err = new_error();
    if (!err) return NULL;
    parley_plan *plan = NULL;
    parley_status st = parley_plan_parse(&plan, text, err);
    if (st != PARLEY_OK) {
        parley_plan_free(plan);
        raise_status(st, err);
        parley_error_free(err);
        return NULL;
    }
    parley_error_free(err);
    bool cache = !plan_reads_files(plan);
    cap = plan_capsule(plan);
    if (!cap) return NULL;
    if (cache) {
        if (PyDict_GET_SIZE(plan_cache) >= PLAN_CACHE_MAX) PyDict_Clear(plan_cache);
        if (PyDict_SetItem(plan_cache, spec, cap) < 0) Py_CLEAR(cap);
    }
    return cap;
}

/* ---- Scenario ---- */

typedef struct {
    PyObject_HEAD
    parley_scenario *s;
    PyObject *warnings;      /* list of the reader's notes and warnings */
    PyObject *default_plan;  /* capsule, made on first use */
    PyObject *backtest_plan; /* capsule, made on first use */
} ScenarioObject;

static PyTypeObject ScenarioType;

static void scenario_dealloc(ScenarioObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->warnings);
    Py_CLEAR(self->default_plan);
    Py_CLEAR(self->backtest_plan);
    parley_scenario_free(self->s);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int scenario_traverse(ScenarioObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->warnings);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int scenario_init(PyObject *self, PyObject *args, PyObject *kw)
{
    (void)args, (void)kw;
    if (!((ScenarioObject *)self)->s) {
        PyErr_SetString(PyExc_TypeError, "make a Scenario with parley.read(path), Scenario.from_dict(d) or Scenario.from_frame(df)");
        return -1;
    }
    return 0;
}

/* Wraps s (taken) with the diagnostics of reading it; NULL on failure (s freed). */
static PyObject *scenario_wrap(parley_scenario *s, const parley_error *err)
{
    PyTypeObject *type = scenario_class ? scenario_class : &ScenarioType;
    ScenarioObject *o = (ScenarioObject *)type->tp_alloc(type, 0);
    if (!o) {
        parley_scenario_free(s);
        return NULL;
    }
    o->s = s;
    PyObject *errors = NULL;
    if (err && diag_lists(err, &errors, &o->warnings) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    Py_XDECREF(errors);
    if (!o->warnings && !(o->warnings = PyList_New(0))) {
        Py_DECREF(o);
        return NULL;
    }
    return (PyObject *)o;
}

static bool is_scenario(PyObject *o)
{
    return PyObject_TypeCheck(o, &ScenarioType);
}

/* Returns a new reference to the plan a call uses: models None is the CLI's default (the scenario's
 * "models" key, parsed as an untrusted SPEC that may not name files, else every model that suits it). */
static PyObject *scenario_plan(ScenarioObject *self, PyObject *models, bool backtest)
{
    if (models && models != Py_None) return plan_for_spec(models);
    PyObject **slot = backtest ? &self->backtest_plan : &self->default_plan;
    if (*slot) return Py_NewRef(*slot);
    parley_plan *plan = NULL;
    const char *spec = parley_scenario_models(self->s);
    if (spec) {
        parley_error *err = new_error();
        if (!err) return NULL;
        parley_status st = parley_plan_parse_with(&plan, spec, PARLEY_PLAN_NO_FILES, err);
        if (st != PARLEY_OK) {
            parley_plan_free(plan);
            raise_status(st, err);
            parley_error_free(err);
            return NULL;
        }
        parley_error_free(err);
    } else if (!(plan = backtest ? parley_plan_default_backtest(self->s) : parley_plan_default(self->s))) {
        return PyErr_NoMemory();
    }
    PyObject *cap = plan_capsule(plan);
    if (!cap) return NULL;
    *slot = Py_NewRef(cap);
    return cap;
}

/* ---- argument helpers ---- */

/* Keyword arguments by name, positional ones in order: fills vals[i] (borrowed) for names[i]. */
static int parse_args(const char *fn, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, const char *const *names,
                      size_t n, PyObject **vals)
{
    for (size_t i = 0; i < n; i++) vals[i] = NULL;
    if ((size_t)nargs > n) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zu arguments (%zd given)", fn, n, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) vals[i] = args[i];
    Py_ssize_t nk = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nk; k++) {
        const char *key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
        if (!key) return -1;
        size_t i = 0;
        while (i < n && strcmp(names[i], key)) i++;
        if (i == n) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", fn, key);
            return -1;
        }
        if (vals[i]) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fn, key);
            return -1;
        }
        vals[i] = args[nargs + k];
    }
    return 0;
}

static int arg_seed(PyObject *o, uint64_t *out)
{
    *out = 1;
    if (!o || o == Py_None) return 0;
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "seed: expected a whole number from 0 to 18446744073709551615");
        return -1;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "seed: expected a whole number from 0 to 18446744073709551615");
        return -1;
    }
    *out = v;
    return 0;
}

static int arg_count(PyObject *o, const char *what, size_t min, size_t max, size_t dflt, size_t *out)
{
    *out = dflt;
    if (!o || o == Py_None) return 0;
    size_t v = PyLong_Check(o) ? PyLong_AsSize_t(o) : (size_t)-1;
    if (v == (size_t)-1 || v < min || v > max) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s: expected a whole number from %zu to %zu", what, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static const char *arg_str(PyObject *o, const char *what, bool *ok)
{
    *ok = true;
    if (!o || o == Py_None) return NULL;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a string, found %s", what, Py_TYPE(o)->tp_name);
        *ok = false;
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8(o);
    if (!s) *ok = false;
    return s;
}

/* ---- Result ---- */

typedef struct {
    PyObject_HEAD
    parley_result *r;
    PyObject *scenario; /* the ScenarioObject it ran on (writers name actors and issues from it) */
    PyObject *cache[7]; /* lists converted on first access */
    PyObject *warnings; /* the run's notes and warnings (NULL: none) */
} ResultObject;

enum { L_FORECASTS, L_ROUNDS, L_CHALLENGES, L_EXCHANGES, L_EXTERNALITIES, L_NEGOTIATIONS, L_RUNS };

static PyTypeObject ResultType;

static void result_dealloc(ResultObject *self)
{
    PyObject_GC_UnTrack(self);
    for (size_t i = 0; i < sizeof self->cache / sizeof *self->cache; i++) Py_CLEAR(self->cache[i]);
    Py_CLEAR(self->warnings);
    Py_CLEAR(self->scenario);
    parley_result_free(self->r);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int result_traverse(ResultObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->scenario);
    for (size_t i = 0; i < sizeof self->cache / sizeof *self->cache; i++) Py_VISIT(self->cache[i]);
    Py_VISIT(self->warnings);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int result_init(PyObject *self, PyObject *args, PyObject *kw)
{
    (void)args, (void)kw;
    if (!((ResultObject *)self)->r) {
        PyErr_SetString(PyExc_TypeError, "a Result comes from Scenario.forecast()");
        return -1;
    }
    return 0;
}

/* Wraps r (taken), run on scenario, with the run's diagnostics in err (converted only when there are any:
 * most runs have none, and a loop of runs should not pay for an empty list). */
static PyObject *result_wrap(parley_result *r, PyObject *scenario, const parley_error *err)
{
    PyTypeObject *type = result_class ? result_class : &ResultType;
    ResultObject *o = (ResultObject *)type->tp_alloc(type, 0);
    if (!o) {
        parley_result_free(r);
        return NULL;
    }
    o->r = r;
    o->scenario = Py_NewRef(scenario);
    if (err && parley_error_count(err)) {
        PyObject *errors;
        if (diag_lists(err, &errors, &o->warnings) < 0) {
            Py_DECREF(o);
            return NULL;
        }
        Py_DECREF(errors);
    }
    return (PyObject *)o;
}

static const parley_scenario *result_scenario(ResultObject *self)
{
    return ((ScenarioObject *)self->scenario)->s;
}

/* Sets the run members every record carries: run, model, label, preset. */
static int put_run(PyObject *d, const parley_result *r, size_t run, bool preset)
{
    PyObject *v;
    if (!(v = PyLong_FromSize_t(run)) || PyDict_SetItemString(d, "run", v) < 0) goto fail;
    Py_DECREF(v);
    if (!(v = str_or_none(parley_result_run_model(r, run))) || PyDict_SetItemString(d, "model", v) < 0) goto fail;
    Py_DECREF(v);
    if (!(v = str_or_none(parley_result_run_label(r, run))) || PyDict_SetItemString(d, "label", v) < 0) goto fail;
    Py_DECREF(v);
    if (preset) {
        if (!(v = str_or_none(parley_result_run_preset(r, run))) || PyDict_SetItemString(d, "preset", v) < 0) goto fail;
        Py_DECREF(v);
    }
    return 0;
fail:
    Py_XDECREF(v);
    return -1;
}

/* d[key] = v, taking v; -1 on failure (v NULL included). */
static int put(PyObject *d, const char *key, PyObject *v)
{
    if (!v) return -1;
    int rc = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return rc;
}

/* {actor id: value} of the finite entries of a per-actor array. */
static PyObject *per_actor(const parley_scenario *s, const double *v)
{
    PyObject *d = PyDict_New();
    for (size_t a = 0; d && a < parley_scenario_actor_count(s); a++) {
        if (isnan(v[a])) continue;
        PyObject *x = PyFloat_FromDouble(v[a]);
        if (!x || PyDict_SetItemString(d, parley_actor_id(s, a), x) < 0) Py_CLEAR(d);
        Py_XDECREF(x);
    }
    return d;
}

static PyObject *list_forecasts(ResultObject *self)
{
    const parley_result *r = self->r;
    const parley_scenario *s = result_scenario(self);
    size_t n = parley_result_forecast_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        size_t run, issue;
        double value;
        const char *note;
        parley_result_forecast(r, i, &run, &issue, &value, &note);
        PyObject *d = PyDict_New();
        if (!d || put_run(d, r, run, true) < 0 || put(d, "issue", str_or_none(parley_issue_id(s, issue))) < 0 ||
            put(d, "value", num_or_none(value)) < 0 || put(d, "note", str_or_none(note)) < 0)
            goto fail;
        if (parley_result_has_distribution(r, run, issue)) {
            PyObject *q = PyDict_New();
            for (size_t k = 0; q && k < PARLEY_QUANTILE_COUNT; k++) {
                PyObject *x = num_or_none(parley_result_quantile(r, run, issue, parley_quantile_level(k)));
                if (!x || PyDict_SetItemString(q, parley_quantile_key(k), x) < 0) Py_CLEAR(q);
                Py_XDECREF(x);
            }
            if (put(d, "quantiles", q) < 0) goto fail;
            size_t na = parley_result_atom_count(r, run, issue);
            PyObject *atoms = PyList_New((Py_ssize_t)na);
            for (size_t k = 0; atoms && k < na; k++) {
                double av, ap;
                parley_result_atom(r, run, issue, k, &av, &ap);
                PyObject *x = Py_BuildValue("{s:d,s:d}", "value", av, "p", ap);
                if (!x) Py_CLEAR(atoms);
                else PyList_SET_ITEM(atoms, (Py_ssize_t)k, x);
            }
            if (put(d, "atoms", atoms) < 0) goto fail;
            if (put(d, "p_reference", num_or_none(parley_result_p_reference(r, run, issue))) < 0) goto fail;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
        continue;
    fail:
        Py_XDECREF(d);
        Py_CLEAR(list);
    }
    return list;
}

/* Rounds, or with voting_only the negotiations: the rounds that hold votes or a negotiated outcome. */
static PyObject *list_rounds(ResultObject *self, bool voting_only)
{
    const parley_result *r = self->r;
    const parley_scenario *s = result_scenario(self);
    size_t n = parley_result_round_count(r);
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < n; i++) {
        size_t run, issue;
        int round;
        double median, mean;
        const double *pos;
        parley_result_round(r, i, &run, &issue, &round, &median, &mean, &pos);
        const double *risk = parley_result_round_risk(r, i), *voting = parley_result_round_voting(r, i);
        double outcome = parley_result_round_outcome(r, i);
        if (voting_only && !voting && isnan(outcome)) continue;
        PyObject *d = PyDict_New();
        if (!d || put_run(d, r, run, true) < 0 || put(d, "issue", str_or_none(parley_issue_id(s, issue))) < 0 ||
            put(d, "round", PyLong_FromLong(round)) < 0)
            goto fail;
        if (voting_only) {
            if (put(d, "outcome", num_or_none(outcome)) < 0 ||
                put(d, "voting", voting ? per_actor(s, voting) : (Py_INCREF(Py_None), Py_None)) < 0 ||
                put(d, "positions", per_actor(s, pos)) < 0)
                goto fail;
        } else {
            if (put(d, "median", num_or_none(median)) < 0 || put(d, "mean", num_or_none(mean)) < 0 ||
                put(d, "positions", per_actor(s, pos)) < 0 ||
                put(d, "risk", risk ? per_actor(s, risk) : (Py_INCREF(Py_None), Py_None)) < 0 ||
                put(d, "outcome", num_or_none(outcome)) < 0 ||
                put(d, "voting", voting ? per_actor(s, voting) : (Py_INCREF(Py_None), Py_None)) < 0)
                goto fail;
        }
        if (PyList_Append(list, d) < 0) goto fail;
        Py_DECREF(d);
        continue;
    fail:
        Py_XDECREF(d);
        Py_CLEAR(list);
    }
    return list;
}

static PyObject *list_challenges(ResultObject *self)
{
    const parley_result *r = self->r;
    const parley_scenario *s = result_scenario(self);
    size_t n = parley_result_challenge_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        parley_challenge c;
        parley_result_challenge(r, i, &c);
        PyObject *d = PyDict_New();
        if (!d || put_run(d, r, c.run, true) < 0 || put(d, "issue", str_or_none(parley_issue_id(s, c.issue))) < 0 ||
            put(d, "round", PyLong_FromLong(c.round)) < 0 || put(d, "from", str_or_none(parley_actor_id(s, c.from))) < 0 ||
            put(d, "to", str_or_none(parley_actor_id(s, c.to))) < 0 ||
            put(d, "region", str_or_none(parley_region_name(c.region))) < 0 || put(d, "offer", num_or_none(c.offer)) < 0 ||
            put(d, "accepted", PyBool_FromLong(c.accepted)) < 0) {
            Py_XDECREF(d);
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

static PyObject *list_exchanges(ResultObject *self)
{
    const parley_result *r = self->r;
    const parley_scenario *s = result_scenario(self);
    size_t n = parley_result_exchange_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        parley_exchange x;
        parley_result_exchange(r, i, &x);
        PyObject *d = PyDict_New();
        if (!d || put_run(d, r, x.run, true) < 0 || put(d, "round", PyLong_FromLong(x.round)) < 0 ||
            put(d, "index", PyLong_FromLong(x.index)) < 0 || put(d, "i", str_or_none(parley_actor_id(s, x.i))) < 0 ||
            put(d, "i_supply", str_or_none(parley_issue_id(s, x.i_supply))) < 0 || put(d, "i_x", num_or_none(x.i_x)) < 0 ||
            put(d, "i_y", num_or_none(x.i_y)) < 0 || put(d, "j", str_or_none(parley_actor_id(s, x.j))) < 0 ||
            put(d, "j_supply", str_or_none(parley_issue_id(s, x.j_supply))) < 0 || put(d, "j_x", num_or_none(x.j_x)) < 0 ||
            put(d, "j_y", num_or_none(x.j_y)) < 0 || put(d, "gain", num_or_none(x.gain)) < 0) {
            Py_XDECREF(d);
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

static PyObject *list_externalities(ResultObject *self)
{
    const parley_result *r = self->r;
    const parley_scenario *s = result_scenario(self);
    size_t n = parley_result_externality_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        parley_externality x;
        parley_result_externality(r, i, &x);
        PyObject *d = PyDict_New();
        if (!d || put_run(d, r, x.run, false) < 0 || put(d, "round", PyLong_FromLong(x.round)) < 0 ||
            put(d, "actor", str_or_none(parley_actor_id(s, x.actor))) < 0 || put(d, "own", num_or_none(x.own)) < 0 ||
            put(d, "inner", num_or_none(x.inner)) < 0 || put(d, "outer", num_or_none(x.outer)) < 0) {
            Py_XDECREF(d);
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

/* The runs with their resolved options, as the JSON's "models". */
static PyObject *list_runs(ResultObject *self)
{
    const parley_result *r = self->r;
    size_t n = parley_result_run_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *d = PyDict_New(), *opts = PyDict_New();
        const char *name, *value;
        for (size_t j = 0; opts && parley_result_run_option(r, i, j, &name, &value); j++) {
            PyObject *v = PyUnicode_FromString(value);
            if (!v || PyDict_SetItemString(opts, name, v) < 0) Py_CLEAR(opts);
            Py_XDECREF(v);
        }
        if (!d || put_run(d, r, i, true) < 0 || put(d, "options", opts) < 0) {
            Py_XDECREF(d);
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

static PyObject *result_list(ResultObject *self, void *which)
{
    int k = (int)(intptr_t)which;
    if (!self->cache[k]) {
        switch (k) {
        case L_FORECASTS: self->cache[k] = list_forecasts(self); break;
        case L_ROUNDS: self->cache[k] = list_rounds(self, false); break;
        case L_CHALLENGES: self->cache[k] = list_challenges(self); break;
        case L_EXCHANGES: self->cache[k] = list_exchanges(self); break;
        case L_EXTERNALITIES: self->cache[k] = list_externalities(self); break;
        case L_NEGOTIATIONS: self->cache[k] = list_rounds(self, true); break;
        default: self->cache[k] = list_runs(self); break;
        }
        if (!self->cache[k]) return NULL;
    }
    return Py_NewRef(self->cache[k]);
}

static PyObject *result_seed(ResultObject *self, void *unused)
{
    (void)unused;
    return PyLong_FromUnsignedLongLong(parley_result_seed(self->r));
}

static PyObject *result_headline(ResultObject *self, void *unused)
{
    (void)unused;
    size_t h = parley_result_headline(self->r);
    if (h == SIZE_MAX) Py_RETURN_NONE;
    return PyLong_FromSize_t(h);
}

static PyObject *result_warnings(ResultObject *self, void *unused)
{
    (void)unused;
    if (!self->warnings && !(self->warnings = PyList_New(0))) return NULL;
    return Py_NewRef(self->warnings);
}

static PyObject *result_get_scenario(ResultObject *self, void *unused)
{
    (void)unused;
    return Py_NewRef(self->scenario);
}

static PyObject *report_text(const parley_scenario *s, const parley_result *r, const char *format)
{
    parley_error *err = new_error();
    if (!err) return NULL;
    char *text = parley_report(s, r, format, err);
    PyObject *out = text ? PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "strict") : raise_status(PARLEY_OK, err);
    free(text);
    parley_error_free(err);
    return out;
}

static PyObject *result_to_json(ResultObject *self, PyObject *unused)
{
    (void)unused;
    return report_text(result_scenario(self), self->r, "json");
}

static PyObject *result_to_text(ResultObject *self, PyObject *unused)
{
    (void)unused;
    return report_text(result_scenario(self), self->r, "text");
}

static PyObject *result_to_csv(ResultObject *self, PyObject *unused)
{
    (void)unused;
    return report_text(result_scenario(self), self->r, "csv");
}

/* Resolves (issue, run) arguments: issue an id or index, run an index, a label or None (the headline run,
 * else run 0). */
static int result_pick(ResultObject *self, PyObject *issue, PyObject *run, size_t *ii, size_t *rr)
{
    const parley_scenario *s = result_scenario(self);
    if (PyUnicode_Check(issue)) {
        const char *id = PyUnicode_AsUTF8(issue);
        if (!id) return -1;
        if (!parley_scenario_find_issue(s, id, ii)) {
            PyErr_Format(PyExc_KeyError, "no issue \"%s\" in the scenario", id);
            return -1;
        }
    } else {
        size_t v = PyLong_Check(issue) ? PyLong_AsSize_t(issue) : (size_t)-1;
        if (v == (size_t)-1 || v >= parley_scenario_issue_count(s)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_IndexError, "issue: expected an issue id or an index of the scenario's issues");
            return -1;
        }
        *ii = v;
    }
    size_t runs = parley_result_run_count(self->r);
    if (!run || run == Py_None) {
        size_t h = parley_result_headline(self->r);
        *rr = h == SIZE_MAX ? 0 : h;
    } else if (PyUnicode_Check(run)) {
        const char *label = PyUnicode_AsUTF8(run);
        if (!label) return -1;
        size_t k = 0;
        while (k < runs && strcmp(parley_result_run_label(self->r, k), label) && strcmp(parley_result_run_model(self->r, k), label))
            k++;
        if (k == runs) {
            PyErr_Format(PyExc_KeyError, "no run \"%s\" in the result", label);
            return -1;
        }
        *rr = k;
    } else {
        size_t v = PyLong_Check(run) ? PyLong_AsSize_t(run) : (size_t)-1;
        if (v == (size_t)-1 || v >= runs) {
            PyErr_Clear();
            PyErr_SetString(PyExc_IndexError, "run: expected a run index, a model label or None");
            return -1;
        }
        *rr = v;
    }
    return 0;
}

static PyObject *result_value(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "run"};
    PyObject *v[2];
    size_t ii, rr;
    if (parse_args("value", args, nargs, kwnames, names, 2, v) < 0) return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "value() needs an issue");
    if (result_pick(self, v[0], v[1], &ii, &rr) < 0) return NULL;
    return num_or_none(parley_result_value(self->r, rr, ii));
}

static PyObject *result_quantile(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "q", "run"};
    PyObject *v[3];
    size_t ii, rr;
    if (parse_args("quantile", args, nargs, kwnames, names, 3, v) < 0) return NULL;
    if (!v[0] || !v[1]) return PyErr_Format(PyExc_TypeError, "quantile() needs an issue and q");
    double q = PyFloat_AsDouble(v[1]);
    if (q == -1 && PyErr_Occurred()) return NULL;
    if (result_pick(self, v[0], v[2], &ii, &rr) < 0) return NULL;
    return num_or_none(parley_result_quantile(self->r, rr, ii, q));
}

static PyObject *result_interval(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "level", "run"};
    PyObject *v[3];
    size_t ii, rr;
    if (parse_args("interval", args, nargs, kwnames, names, 3, v) < 0) return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "interval() needs an issue");
    double level = v[1] ? PyFloat_AsDouble(v[1]) : 0.8;
    if (level == -1 && PyErr_Occurred()) return NULL;
    if (result_pick(self, v[0], v[2], &ii, &rr) < 0) return NULL;
    double lo, hi;
    parley_result_interval(self->r, rr, ii, level, &lo, &hi);
    return Py_BuildValue("(NN)", num_or_none(lo), num_or_none(hi));
}

static PyObject *result_cdf(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "value", "run"};
    PyObject *v[3];
    size_t ii, rr;
    if (parse_args("cdf", args, nargs, kwnames, names, 3, v) < 0) return NULL;
    if (!v[0] || !v[1]) return PyErr_Format(PyExc_TypeError, "cdf() needs an issue and a value");
    double x = PyFloat_AsDouble(v[1]);
    if (x == -1 && PyErr_Occurred()) return NULL;
    if (result_pick(self, v[0], v[2], &ii, &rr) < 0) return NULL;
    return num_or_none(parley_result_cdf(self->r, rr, ii, x));
}

static PyObject *result_crps(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "outcome", "run"};
    PyObject *v[3];
    size_t ii, rr;
    if (parse_args("crps", args, nargs, kwnames, names, 3, v) < 0) return NULL;
    if (!v[0] || !v[1]) return PyErr_Format(PyExc_TypeError, "crps() needs an issue and an outcome");
    double y = PyFloat_AsDouble(v[1]);
    if (y == -1 && PyErr_Occurred()) return NULL;
    if (result_pick(self, v[0], v[2], &ii, &rr) < 0) return NULL;
    return num_or_none(parley_result_crps(self->r, rr, ii, y));
}

static PyObject *result_p_reference(ResultObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "run"};
    PyObject *v[2];
    size_t ii, rr;
    if (parse_args("p_reference", args, nargs, kwnames, names, 2, v) < 0) return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "p_reference() needs an issue");
    if (result_pick(self, v[0], v[1], &ii, &rr) < 0) return NULL;
    return num_or_none(parley_result_p_reference(self->r, rr, ii));
}

static PyMethodDef result_methods[] = {
    {"to_json", (PyCFunction)result_to_json, METH_NOARGS,
     "to_json() -> str\n\nThe result as `parley forecast --format json` writes it, byte for byte (docs/output-format.md)."},
    {"to_text", (PyCFunction)result_to_text, METH_NOARGS, "to_text() -> str\n\nThe report `parley forecast` prints."},
    {"to_csv", (PyCFunction)result_to_csv, METH_NOARGS, "to_csv() -> str\n\nThe forecasts as `--format csv` writes them."},
    {"value", (PyCFunction)(void (*)(void))result_value, METH_FASTCALL | METH_KEYWORDS,
     "value(issue, run=None) -> float | None\n\nThe forecast of issue (an id or index) by run (an index or a label; None: "
     "the headline run, else the first)."},
    {"quantile", (PyCFunction)(void (*)(void))result_quantile, METH_FASTCALL | METH_KEYWORDS,
     "quantile(issue, q, run=None) -> float | None\n\nThe q-quantile of run's predictive distribution of issue (None when "
     "the run gives a point forecast)."},
    {"interval", (PyCFunction)(void (*)(void))result_interval, METH_FASTCALL | METH_KEYWORDS,
     "interval(issue, level=0.8, run=None) -> (lo, hi)\n\nThe central interval holding `level` of the distribution."},
    {"cdf", (PyCFunction)(void (*)(void))result_cdf, METH_FASTCALL | METH_KEYWORDS,
     "cdf(issue, value, run=None) -> float | None\n\nP(outcome <= value) under run's distribution of issue."},
    {"crps", (PyCFunction)(void (*)(void))result_crps, METH_FASTCALL | METH_KEYWORDS,
     "crps(issue, outcome, run=None) -> float | None\n\nThe CRPS of run's forecast of issue against outcome (exact for a "
     "distribution, |value - outcome| for a point forecast)."},
    {"p_reference", (PyCFunction)(void (*)(void))result_p_reference, METH_FASTCALL | METH_KEYWORDS,
     "p_reference(issue, run=None) -> float | None\n\nP(the outcome stays at the issue's reference point)."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef result_getset[] = {
    {"forecasts", (getter)result_list, NULL,
     "One dict per run and issue: run, model, label, preset, issue, value (None: no forecast), note; for runs with "
     "a distribution also quantiles ({'0.05': v, ...}), atoms ([{value, p}]) and p_reference. Built on first access.",
     (void *)(intptr_t)L_FORECASTS},
    {"rounds", (getter)result_list, NULL,
     "Round-based models' states: run, model, label, preset, issue, round (0 = input), median, mean, positions "
     "({actor: position}), risk, outcome, voting. Built on first access.",
     (void *)(intptr_t)L_ROUNDS},
    {"challenges", (getter)result_list, NULL,
     "The pressure map: run, model, label, preset, issue, round, from, to, region, offer, accepted.",
     (void *)(intptr_t)L_CHALLENGES},
    {"exchanges", (getter)result_list, NULL,
     "The exchange model's trades: run, model, label, preset, round, index, i, i_supply, i_x, i_y, j, j_supply, j_x, "
     "j_y, gain.",
     (void *)(intptr_t)L_EXCHANGES},
    {"externalities", (getter)result_list, NULL, "What trades did to each actor: run, model, label, round, actor, own, inner, outer.",
     (void *)(intptr_t)L_EXTERNALITIES},
    {"negotiations", (getter)result_list, NULL,
     "The rounds that hold votes or a negotiated outcome (the exchange model): run, model, label, preset, issue, round, "
     "outcome, voting ({actor: vote}; None in round 0), positions.",
     (void *)(intptr_t)L_NEGOTIATIONS},
    {"runs", (getter)result_list, NULL, "The runs in plan order: run, model, label, preset, options (resolved, as text).",
     (void *)(intptr_t)L_RUNS},
    {"seed", (getter)result_seed, NULL, "The seed every random draw came from.", NULL},
    {"headline", (getter)result_headline, NULL, "The headline run's index (the first with distributions), or None.", NULL},
    {"scenario", (getter)result_get_scenario, NULL, "The scenario the result was run on.", NULL},
    {"warnings", (getter)result_warnings, NULL, "The models' notes and warnings (what the CLI prints to standard error).", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject ResultType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley._native.Result",
    .tp_basicsize = sizeof(ResultObject),
    .tp_dealloc = (destructor)result_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "What one forecast produced. Lists (forecasts, rounds, ...) are built on first access.",
    .tp_traverse = (traverseproc)result_traverse,
    .tp_methods = result_methods,
    .tp_getset = result_getset,
    .tp_init = result_init,
    .tp_new = PyType_GenericNew,
};

/* ---- running ---- */

/* Runs plan on s with the GIL released, cancelled by Ctrl-C on the main thread. */
static parley_status run_plan(const parley_scenario *s, const parley_plan *plan, uint64_t seed, size_t threads,
                              parley_result **out, parley_error *err)
{
    volatile int *flag = watch_begin();
    parley_run_options o = {0, threads, flag};
    parley_status st;
    Py_BEGIN_ALLOW_THREADS
    st = parley_run_with(s, plan, seed, &o, out, err);
    Py_END_ALLOW_THREADS
    return st;
}

static PyObject *scenario_forecast(ScenarioObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"models", "seed", "threads"};
    PyObject *v[3];
    uint64_t seed;
    size_t threads;
    if (parse_args("forecast", args, nargs, kwnames, names, 3, v) < 0 || arg_seed(v[1], &seed) < 0 ||
        arg_count(v[2], "threads", 0, 64, 0, &threads) < 0)
        return NULL;
    PyObject *cap = scenario_plan(self, v[0], false);
    if (!cap) return NULL;
    parley_error *err = parley_error_new();
    if (!err) {
        Py_DECREF(cap);
        return PyErr_NoMemory();
    }
    parley_result *r = NULL;
    parley_status st = run_plan(self->s, plan_of(cap), seed, threads, &r, err);
    Py_DECREF(cap);
    PyObject *out = st == PARLEY_OK ? result_wrap(r, (PyObject *)self, err) : raise_status(st, err);
    parley_error_free(err);
    return out;
}

/* ---- Monte Carlo ---- */

typedef struct {
    PyObject_HEAD
    parley_mc *mc;
    PyObject *scenario, *plan; /* the mc borrows both */
    PyObject *thresholds;      /* tuple of str */
} MonteCarloObject;

static PyTypeObject MonteCarloType;

static void mc_dealloc(MonteCarloObject *self)
{
    PyObject_GC_UnTrack(self);
    parley_mc_free(self->mc);
    Py_CLEAR(self->scenario);
    Py_CLEAR(self->plan);
    Py_CLEAR(self->thresholds);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int mc_traverse(MonteCarloObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->scenario);
    Py_VISIT(self->thresholds);
    return 0;
}

/* The thresholds as C strings (borrowed from the tuple); NULL with n 0 when none. */
static const char **thresholds_of(PyObject *tuple, size_t *n)
{
    *n = tuple ? (size_t)PyTuple_GET_SIZE(tuple) : 0;
    const char **t = calloc(*n ? *n : 1, sizeof *t);
    if (!t) {
        PyErr_NoMemory();
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        if (!(t[i] = PyUnicode_AsUTF8(PyTuple_GET_ITEM(tuple, (Py_ssize_t)i)))) {
            free(t);
            return NULL;
        }
    return t;
}

static PyObject *mc_report(MonteCarloObject *self, const char *format)
{
    size_t n;
    const char **t = thresholds_of(self->thresholds, &n);
    parley_error *err = t ? new_error() : NULL;
    if (!err) {
        free(t);
        return NULL;
    }
    char *text = parley_mc_report(self->mc, format, t, n, err);
    PyObject *out = text ? PyUnicode_FromString(text) : raise_status(PARLEY_OK, err);
    free(text);
    free(t);
    parley_error_free(err);
    return out;
}

static PyObject *mc_to_json(MonteCarloObject *self, PyObject *unused)
{
    (void)unused;
    return mc_report(self, "json");
}

static PyObject *mc_to_text(MonteCarloObject *self, PyObject *unused)
{
    (void)unused;
    return mc_report(self, "text");
}

static PyObject *mc_summary(MonteCarloObject *self, PyObject *unused)
{
    (void)unused;
    const parley_result *base = parley_mc_base(self->mc);
    const parley_scenario *s = parley_mc_scenario(self->mc);
    size_t runs = parley_result_run_count(base), issues = parley_scenario_issue_count(s);
    PyObject *list = PyList_New(0);
    for (size_t r = 0; list && r < runs; r++)
        for (size_t i = 0; list && i < issues; i++) {
            parley_mc_stats st;
            if (!parley_mc_summary(self->mc, r, i, &st)) {
                Py_CLEAR(list);
                return PyErr_NoMemory();
            }
            PyObject *q = PyDict_New(), *hist = PyList_New(20);
            for (size_t k = 0; q && k < 7; k++) {
                PyObject *x = num_or_none(st.q[k]);
                if (!x || PyDict_SetItemString(q, parley_quantile_key(k), x) < 0) Py_CLEAR(q);
                Py_XDECREF(x);
            }
            for (size_t k = 0; hist && k < 20; k++) PyList_SET_ITEM(hist, (Py_ssize_t)k, PyLong_FromSize_t(st.hist[k]));
            PyObject *d = PyDict_New();
            if (!d || put_run(d, base, r, true) < 0 || put(d, "issue", str_or_none(parley_issue_id(s, i))) < 0 ||
                put(d, "base", num_or_none(parley_result_value(base, r, i))) < 0 || put(d, "n", PyLong_FromSize_t(st.n)) < 0 ||
                put(d, "mean", num_or_none(st.mean)) < 0 || put(d, "sd", num_or_none(st.sd)) < 0 ||
                put(d, "min", num_or_none(st.min)) < 0 || put(d, "max", num_or_none(st.max)) < 0 || put(d, "quantiles", q) < 0 ||
                put(d, "hist", hist) < 0 || PyList_Append(list, d) < 0)
                Py_CLEAR(list);
            Py_XDECREF(d);
        }
    return list;
}

static PyObject *mc_samples(MonteCarloObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "run"};
    PyObject *v[2];
    if (parse_args("samples", args, nargs, kwnames, names, 2, v) < 0) return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "samples() needs an issue");
    /* a Result-like pick over the base result */
    ResultObject tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.r = (parley_result *)parley_mc_base(self->mc);
    tmp.scenario = self->scenario;
    size_t ii, rr;
    if (result_pick(&tmp, v[0], v[1], &ii, &rr) < 0) return NULL;
    size_t n = parley_mc_completed(self->mc), issues = parley_scenario_issue_count(parley_mc_scenario(self->mc));
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t d = 0; list && d < n; d++) {
        PyObject *x = num_or_none(parley_mc_outputs_of(self->mc, d)[rr * issues + ii]);
        if (!x) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)d, x);
    }
    return list;
}

static PyObject *mc_probability(MonteCarloObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"issue", "op", "threshold", "run"};
    PyObject *v[4];
    bool ok;
    if (parse_args("probability", args, nargs, kwnames, names, 4, v) < 0) return NULL;
    if (!v[0] || !v[1] || !v[2]) return PyErr_Format(PyExc_TypeError, "probability() needs an issue, an op and a threshold");
    const char *op = arg_str(v[1], "op", &ok);
    if (!ok) return NULL;
    double t = PyFloat_AsDouble(v[2]);
    if (t == -1 && PyErr_Occurred()) return NULL;
    ResultObject tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.r = (parley_result *)parley_mc_base(self->mc);
    tmp.scenario = self->scenario;
    size_t ii, rr;
    if (result_pick(&tmp, v[0], v[3], &ii, &rr) < 0) return NULL;
    if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
        return PyErr_Format(PyExc_ValueError, "op: expected <, <=, > or >=, found \"%s\"", op);
    return num_or_none(parley_mc_probability(self->mc, rr, ii, op, t));
}

static PyObject *mc_base(MonteCarloObject *self, void *unused)
{
    (void)unused;
    return PyLong_FromSize_t(parley_mc_draws(self->mc));
}

static PyObject *mc_completed(MonteCarloObject *self, void *unused)
{
    (void)unused;
    return PyLong_FromSize_t(parley_mc_completed(self->mc));
}

static PyObject *mc_inputs(MonteCarloObject *self, void *unused)
{
    (void)unused;
    size_t n = parley_mc_input_count(self->mc);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        parley_uncertainty u;
        double value = parley_mc_input(self->mc, i, &u);
        PyObject *d = Py_BuildValue("{s:s,s:d,s:s,s:N,s:N,s:N}", "name", parley_mc_input_name(self->mc, i), "value", value,
                                    "dist", parley_dist_name(u.kind), "low", num_or_none(u.low), "high", num_or_none(u.high),
                                    "sd", u.kind == PARLEY_DIST_NORMAL ? num_or_none(u.sd) : (Py_INCREF(Py_None), Py_None));
        if (!d) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}

static PyMethodDef mc_methods[] = {
    {"to_json", (PyCFunction)mc_to_json, METH_NOARGS, "to_json() -> str\n\nThe report `parley montecarlo --format json` writes."},
    {"to_text", (PyCFunction)mc_to_text, METH_NOARGS, "to_text() -> str\n\nThe report `parley montecarlo` prints."},
    {"summary", (PyCFunction)mc_summary, METH_NOARGS,
     "summary() -> list of dict\n\nPer run and issue: base (the forecast as written), n, mean, sd, min, max, quantiles, "
     "hist (20 bins over the scale)."},
    {"samples", (PyCFunction)(void (*)(void))mc_samples, METH_FASTCALL | METH_KEYWORDS,
     "samples(issue, run=None) -> list of float | None\n\nRun's forecast of issue in every completed draw, in draw order."},
    {"probability", (PyCFunction)(void (*)(void))mc_probability, METH_FASTCALL | METH_KEYWORDS,
     "probability(issue, op, threshold, run=None) -> float\n\nThe share of draws whose forecast satisfies `value op "
     "threshold` (op one of <, <=, >, >=)."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef mc_getset[] = {
    {"draws", (getter)mc_base, NULL, "The draws asked for.", NULL},
    {"completed", (getter)mc_completed, NULL, "The draws done (all of them unless interrupted).", NULL},
    {"inputs", (getter)mc_inputs, NULL, "The uncertain inputs: name, value, dist, low, high, sd.", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject MonteCarloType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley._native.MonteCarlo",
    .tp_basicsize = sizeof(MonteCarloObject),
    .tp_dealloc = (destructor)mc_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Forecasts under uncertainty: the draws of Scenario.montecarlo().",
    .tp_traverse = (traverseproc)mc_traverse,
    .tp_methods = mc_methods,
    .tp_getset = mc_getset,
};

/* A tuple of threshold strings from None, a str or an iterable of str. */
static PyObject *thresholds_arg(PyObject *o)
{
    if (!o || o == Py_None) return PyTuple_New(0);
    if (PyUnicode_Check(o)) return PyTuple_Pack(1, o);
    PyObject *t = PySequence_Tuple(o);
    for (Py_ssize_t i = 0; t && i < PyTuple_GET_SIZE(t); i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(t, i))) {
            PyErr_SetString(PyExc_TypeError, "threshold: expected statements such as \"ceasefire>=60\"");
            Py_CLEAR(t);
        }
    return t;
}

/* Makes and runs the draws (GIL released, Ctrl-C cancels); with swings also the one-at-a-time swings. */
static MonteCarloObject *mc_make(ScenarioObject *self, PyObject *models, size_t draws, uint64_t seed, size_t threads,
                                 PyObject *thresholds, bool swings, double **lo, double **hi)
{
    MonteCarloObject *m = PyObject_GC_New(MonteCarloObject, &MonteCarloType);
    if (!m) {
        Py_DECREF(thresholds);
        return NULL;
    }
    m->mc = NULL, m->scenario = Py_NewRef((PyObject *)self), m->plan = NULL, m->thresholds = thresholds;
    PyObject_GC_Track(m);
    if (!(m->plan = scenario_plan(self, models, false))) goto fail;
    size_t n;
    const char **t = thresholds_of(thresholds, &n);
    if (!t) goto fail;
    parley_error *err = new_error();
    if (!err) {
        free(t);
        goto fail;
    }
    parley_status st = parley_mc_check_thresholds(self->s, t, n, err);
    free(t);
    if (st == PARLEY_OK) {
        volatile int *flag = watch_begin();
        parley_mc_options o = {threads, NULL, NULL, flag};
        Py_BEGIN_ALLOW_THREADS
        st = parley_mc_create(self->s, plan_of(m->plan), draws, seed, &m->mc, err);
        if (st == PARLEY_OK) st = parley_mc_run(m->mc, 0, 1, &o, err);
        if (st == PARLEY_OK && flag && *flag) st = PARLEY_E_CANCELLED;
        if (st == PARLEY_OK && swings) {
            size_t cells = parley_mc_input_count(m->mc) * parley_mc_output_count(m->mc);
            *lo = malloc((cells ? cells : 1) * sizeof **lo), *hi = malloc((cells ? cells : 1) * sizeof **hi);
            st = *lo && *hi ? parley_mc_swings_with(m->mc, *lo, *hi, &o, err) : PARLEY_E_NOMEM;
        }
        Py_END_ALLOW_THREADS
    }
    if (st != PARLEY_OK) {
        raise_status(st, err);
        parley_error_free(err);
        goto fail;
    }
    parley_error_free(err);
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}

static PyObject *scenario_montecarlo(ScenarioObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"draws", "threshold", "threads", "models", "seed"};
    PyObject *v[5];
    uint64_t seed;
    size_t draws, threads;
    if (parse_args("montecarlo", args, nargs, kwnames, names, 5, v) < 0 ||
        arg_count(v[0], "draws", 1, PARLEY_MAX_DRAWS, 1000, &draws) < 0 || arg_count(v[2], "threads", 0, 64, 0, &threads) < 0 ||
        arg_seed(v[4], &seed) < 0)
        return NULL;
    PyObject *t = thresholds_arg(v[1]);
    if (!t) return NULL;
    return (PyObject *)mc_make(self, v[3], draws, seed, threads, t, false, NULL, NULL);
}

/* Returns (json, text) of a report made twice. */
static PyObject *two_reports(char *json, char *text, parley_error *err)
{
    PyObject *out = json && text ? Py_BuildValue("(ss)", json, text) : raise_status(PARLEY_OK, err);
    free(json);
    free(text);
    return out;
}

static PyObject *scenario_sensitivity(ScenarioObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"draws", "threads", "models", "seed", "top"};
    PyObject *v[5];
    uint64_t seed;
    size_t draws, threads, top;
    if (parse_args("sensitivity", args, nargs, kwnames, names, 5, v) < 0 ||
        arg_count(v[0], "draws", 1, PARLEY_MAX_DRAWS, 1000, &draws) < 0 || arg_count(v[1], "threads", 0, 64, 0, &threads) < 0 ||
        arg_seed(v[3], &seed) < 0 || arg_count(v[4], "top", 1, SIZE_MAX >> 1, 10, &top) < 0)
        return NULL;
    PyObject *t = PyTuple_New(0);
    if (!t) return NULL;
    double *lo = NULL, *hi = NULL;
    MonteCarloObject *m = mc_make(self, v[2], draws, seed, threads, t, true, &lo, &hi);
    PyObject *out = NULL;
    if (m) {
        parley_error *err = new_error();
        if (err) {
            out = two_reports(parley_sensitivity_report(m->mc, lo, hi, "json", top, err),
                              parley_sensitivity_report(m->mc, lo, hi, "text", top, err), err);
            parley_error_free(err);
        }
    }
    free(lo), free(hi);
    Py_XDECREF(m);
    return out;
}

static PyObject *scenario_compare(ScenarioObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"models", "seed", "threads"};
    PyObject *v[3];
    uint64_t seed;
    size_t threads;
    if (parse_args("compare", args, nargs, kwnames, names, 3, v) < 0 || arg_seed(v[1], &seed) < 0 ||
        arg_count(v[2], "threads", 0, 64, 0, &threads) < 0)
        return NULL;
    size_t n = parley_variant_count(self->s);
    if (n == 0) {
        PyErr_SetString(InputError, "the scenario declares no variants (see docs/scenario-format.md, \"variants\")");
        return NULL;
    }
    PyObject *cap = scenario_plan(self, v[0], false);
    if (!cap) return NULL;
    parley_error *err = new_error();
    parley_scenario **vs = calloc(n, sizeof *vs);
    parley_result **vr = calloc(n, sizeof *vr);
    parley_result *base = NULL;
    PyObject *out = NULL;
    parley_status st = err && vs && vr ? PARLEY_OK : PARLEY_E_NOMEM;
    if (st == PARLEY_OK) st = run_plan(self->s, plan_of(cap), seed, threads, &base, err);
    for (size_t i = 0; st == PARLEY_OK && i < n; i++) {
        st = parley_scenario_variant(self->s, i, &vs[i], err);
        if (st == PARLEY_OK) st = run_plan(vs[i], plan_of(cap), seed, threads, &vr[i], err);
    }
    if (st != PARLEY_OK) {
        if (st == PARLEY_E_NOMEM && !err) PyErr_NoMemory();
        else raise_status(st, err);
    } else {
        const parley_scenario *const *cvs = (const parley_scenario *const *)vs;
        const parley_result *const *cvr = (const parley_result *const *)vr;
        out = two_reports(parley_compare_report(self->s, base, cvs, cvr, n, "json", err),
                          parley_compare_report(self->s, base, cvs, cvr, n, "text", err), err);
    }
    for (size_t i = 0; i < n; i++) {
        if (vs) parley_scenario_free(vs[i]);
        if (vr) parley_result_free(vr[i]);
    }
    free(vs), free(vr);
    parley_result_free(base);
    parley_error_free(err);
    Py_DECREF(cap);
    return out;
}

/* ---- Scenario: reading its contents ---- */

static PyObject *scenario_serialize(ScenarioObject *self, PyObject *arg)
{
    bool ok;
    const char *format = arg_str(arg, "format", &ok);
    if (!ok) return NULL;
    parley_error *err = new_error();
    if (!err) return NULL;
    char *text = parley_scenario_serialize(self->s, format ? format : "json", err);
    PyObject *out = text ? PyUnicode_FromString(text) : raise_status(PARLEY_OK, err);
    if (out && parley_error_count(err)) {
        PyObject *errors, *warnings;
        if (diag_lists(err, &errors, &warnings) == 0) {
            out = Py_BuildValue("(NN)", out, warnings);
            Py_DECREF(errors);
        } else {
            Py_CLEAR(out);
        }
    } else if (out) {
        out = Py_BuildValue("(NN)", out, PyList_New(0));
    }
    free(text);
    parley_error_free(err);
    return out;
}

static PyObject *scenario_variant(ScenarioObject *self, PyObject *arg)
{
    size_t n = parley_variant_count(self->s), v = n;
    if (PyUnicode_Check(arg)) {
        const char *id = PyUnicode_AsUTF8(arg);
        if (!id) return NULL;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(parley_variant_id(self->s, i), id)) v = i;
        if (v == n) return PyErr_Format(PyExc_KeyError, "no variant \"%s\" in the scenario", id);
    } else {
        v = PyLong_Check(arg) ? PyLong_AsSize_t(arg) : (size_t)-1;
        if (v == (size_t)-1 || v >= n) {
            PyErr_Clear();
            return PyErr_Format(PyExc_IndexError, "variant: expected a variant id or an index below %zu", n);
        }
    }
    parley_error *err = new_error();
    if (!err) return NULL;
    parley_scenario *out = NULL;
    parley_status st = parley_scenario_variant(self->s, v, &out, err);
    PyObject *r = st == PARLEY_OK ? scenario_wrap(out, err) : raise_status(st, err);
    parley_error_free(err);
    return r;
}

static PyObject *scenario_ids(ScenarioObject *self, void *which)
{
    const parley_scenario *s = self->s;
    int k = (int)(intptr_t)which;
    size_t n = k == 0 ? parley_scenario_actor_count(s) : k == 1 ? parley_scenario_issue_count(s) : parley_variant_count(s);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *x = str_or_none(k == 0 ? parley_actor_id(s, i) : k == 1 ? parley_issue_id(s, i) : parley_variant_id(s, i));
        if (!x) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)i, x);
    }
    return list;
}

static PyObject *scenario_prov(ScenarioObject *self, void *which)
{
    switch ((int)(intptr_t)which) {
    case 0: return str_or_none(parley_scenario_source(self->s));
    case 1: return str_or_none(parley_scenario_format(self->s));
    case 2: return str_or_none(parley_scenario_sha256(self->s));
    case 3: return str_or_none(parley_scenario_text(self->s, PARLEY_TEXT_NAME));
    case 4: return str_or_none(parley_scenario_models(self->s));
    case 5: return PyBool_FromLong(parley_scenario_is_batch(self->s));
    default: return Py_NewRef(self->warnings);
    }
}

static PyObject *scenario_counts(ScenarioObject *self, PyObject *unused)
{
    (void)unused;
    const parley_scenario *s = self->s;
    size_t ref = 0, out = 0, ni = parley_scenario_issue_count(s);
    for (size_t k = 0; k < ni; k++) {
        ref += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_REFERENCE));
        out += !isnan(parley_issue_number(s, k, PARLEY_ISSUE_OUTCOME));
    }
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n,s:n}", "actors", (Py_ssize_t)parley_scenario_actor_count(s), "issues",
                         (Py_ssize_t)ni, "stances", (Py_ssize_t)parley_scenario_stance_count(s), "reference_points",
                         (Py_ssize_t)ref, "outcomes", (Py_ssize_t)out, "variants", (Py_ssize_t)parley_variant_count(s));
}

static PyMethodDef scenario_methods[] = {
    {"forecast", (PyCFunction)(void (*)(void))scenario_forecast, METH_FASTCALL | METH_KEYWORDS,
     "forecast(models=None, seed=1, threads=0) -> Result\n\n"
     "Runs models (a SPEC such as \"compromise,bdm:scholz2011\"; None: the scenario's \"models\" key, else every model "
     "that suits it, the ensemble first, as `parley forecast` does) with seed feeding every random draw. threads caps "
     "the worker threads (0: PARLEY_THREADS, else one per core). The GIL is released while the models run; Ctrl-C "
     "raises KeyboardInterrupt at the run's next round."},
    {"montecarlo", (PyCFunction)(void (*)(void))scenario_montecarlo, METH_FASTCALL | METH_KEYWORDS,
     "montecarlo(draws=1000, threshold=None, threads=0, models=None, seed=1) -> MonteCarlo\n\n"
     "Draws the scenario's uncertain numbers draws times and runs models on each draw, as `parley montecarlo` does. "
     "threshold: statements such as \"ceasefire>=60\" (a str or a list) whose probabilities the report gives."},
    {"_sensitivity", (PyCFunction)(void (*)(void))scenario_sensitivity, METH_FASTCALL | METH_KEYWORDS,
     "_sensitivity(draws=1000, threads=0, models=None, seed=1, top=10) -> (json, text)"},
    {"_compare", (PyCFunction)(void (*)(void))scenario_compare, METH_FASTCALL | METH_KEYWORDS,
     "_compare(models=None, seed=1, threads=0) -> (json, text)"},
    {"_serialize", (PyCFunction)scenario_serialize, METH_O, "_serialize(format) -> (text, warnings)"},
    {"variant", (PyCFunction)scenario_variant, METH_O,
     "variant(v) -> Scenario\n\nThe scenario that variant v (an id or an index) describes: the base with its changes."},
    {"_counts", (PyCFunction)scenario_counts, METH_NOARGS, "_counts() -> dict"},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef scenario_getset[] = {
    {"actors", (getter)scenario_ids, NULL, "The actors' ids, in scenario order.", (void *)(intptr_t)0},
    {"issues", (getter)scenario_ids, NULL, "The issues' ids, in scenario order.", (void *)(intptr_t)1},
    {"variants", (getter)scenario_ids, NULL, "The variants' (what-ifs') ids.", (void *)(intptr_t)2},
    {"path", (getter)scenario_prov, NULL, "The file it was read from; None when built in memory.", (void *)(intptr_t)0},
    {"format", (getter)scenario_prov, NULL, "The format it was read as (\"json\", \"csv\", \"deu\", ...).", (void *)(intptr_t)1},
    {"sha256", (getter)scenario_prov, NULL, "The SHA-256 of the bytes it was read from.", (void *)(intptr_t)2},
    {"name", (getter)scenario_prov, NULL, "The scenario's name, or None.", (void *)(intptr_t)3},
    {"models", (getter)scenario_prov, NULL, "The model SPEC the scenario names (its \"models\" key), or None.", (void *)(intptr_t)4},
    {"is_batch", (getter)scenario_prov, NULL, "Whether the issues are unrelated decisions (a DEU batch).", (void *)(intptr_t)5},
    {"warnings", (getter)scenario_prov, NULL, "The notes and warnings reading it gave (dicts like InputError.diagnostics).",
     (void *)(intptr_t)6},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject ScenarioType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "parley._native.Scenario",
    .tp_basicsize = sizeof(ScenarioObject),
    .tp_dealloc = (destructor)scenario_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A validated scenario: actors, issues and stances. Read-only; share it between threads freely.",
    .tp_traverse = (traverseproc)scenario_traverse,
    .tp_methods = scenario_methods,
    .tp_getset = scenario_getset,
    .tp_init = scenario_init,
    .tp_new = PyType_GenericNew,
};

/* ---- module functions ---- */

static PyObject *mod_read(PyObject *mod, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)mod;
    static const char *const names[] = {"path", "format", "salience_scale"};
    PyObject *v[3];
    bool ok1, ok2;
    if (parse_args("read", args, nargs, kwnames, names, 3, v) < 0) return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "read() needs a path");
    PyObject *path = PyOS_FSPath(v[0]);
    if (!path) return NULL;
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(path, &bytes)) {
        Py_DECREF(path);
        return NULL;
    }
    Py_DECREF(path);
    parley_read_options o = {arg_str(v[1], "format", &ok1), arg_str(v[2], "salience_scale", &ok2)};
    parley_error *err = ok1 && ok2 ? new_error() : NULL;
    if (!err) {
        Py_DECREF(bytes);
        return NULL;
    }
    parley_scenario *s = NULL;
    parley_status st;
    const char *p = PyBytes_AS_STRING(bytes);
    Py_BEGIN_ALLOW_THREADS
    st = parley_read_file(p, &o, &s, err);
    Py_END_ALLOW_THREADS
    PyObject *out = st == PARLEY_OK ? scenario_wrap(s, err) : raise_status(st, err);
    Py_DECREF(bytes);
    parley_error_free(err);
    return out;
}

/* read_text(text, format=None, name=None, salience_scale=None): a scenario from text. The scenario is then
 * written as canonical JSON and read back with no name, so that, built in memory, it has no path and its
 * SHA-256 is that of its canonical JSON; the first reading's notes and warnings are kept. */
static PyObject *mod_read_text(PyObject *mod, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)mod;
    static const char *const names[] = {"text", "format", "name", "salience_scale"};
    PyObject *v[4];
    bool ok1, ok2, ok3;
    if (parse_args("read_text", args, nargs, kwnames, names, 4, v) < 0) return NULL;
    if (!v[0] || !PyUnicode_Check(v[0])) return PyErr_Format(PyExc_TypeError, "read_text() needs a str");
    Py_ssize_t len;
    const char *text = PyUnicode_AsUTF8AndSize(v[0], &len);
    if (!text) return NULL;
    parley_read_options o = {arg_str(v[1], "format", &ok1), arg_str(v[3], "salience_scale", &ok3)};
    const char *name = arg_str(v[2], "name", &ok2);
    parley_error *err = ok1 && ok2 && ok3 ? new_error() : NULL;
    if (!err) return NULL;
    parley_scenario *s = NULL, *canon = NULL;
    parley_status st = parley_read_buffer(text, (size_t)len, name ? name : "<memory>", &o, &s, err);
    if (st != PARLEY_OK) {
        raise_status(st, err);
        parley_error_free(err);
        return NULL;
    }
    parley_error *err2 = new_error();
    char *json = err2 ? parley_scenario_serialize(s, "json", err2) : NULL;
    parley_read_options jo = {"json", NULL};
    st = json ? parley_read_buffer(json, strlen(json), NULL, &jo, &canon, err2) : PARLEY_E_NOMEM;
    free(json);
    parley_scenario_free(s);
    PyObject *out = st == PARLEY_OK ? scenario_wrap(canon, err) : raise_status(st, err2 ? err2 : err);
    parley_error_free(err2);
    parley_error_free(err);
    return out;
}

static PyObject *mod_models(PyObject *mod, PyObject *unused)
{
    (void)mod, (void)unused;
    static const char *const types[] = {"number", "integer", "choice", "boolean", "file"};
    size_t n = parley_model_count();
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        const parley_model *m = parley_model_at(i);
        PyObject *presets = PyList_New(0), *options = PyList_New(0), *records = PyList_New(0);
        for (size_t p = 0; presets && p < parley_model_preset_count(m); p++) {
            const parley_preset *ps = parley_model_preset(m, p);
            PyObject *d = Py_BuildValue("{s:s,s:s,s:s}", "name", ps->name, "options", ps->options, "help", ps->help);
            if (!d || PyList_Append(presets, d) < 0) Py_CLEAR(presets);
            Py_XDECREF(d);
        }
        for (size_t j = 0; options && j < parley_model_option_count(m); j++) {
            const parley_option_spec *o = parley_model_option(m, j);
            bool ranged = o->type == PARLEY_OPTION_NUMBER || o->type == PARLEY_OPTION_INTEGER;
            PyObject *d = Py_BuildValue("{s:s,s:s,s:s,s:N,s:N,s:N,s:s}", "name", o->name, "type", types[o->type], "default",
                                        o->default_value, "choices", o->type == PARLEY_OPTION_CHOICE ? str_or_none(o->choices) : (Py_INCREF(Py_None), Py_None),
                                        "min", ranged ? PyFloat_FromDouble(o->min) : (Py_INCREF(Py_None), Py_None), "max",
                                        ranged ? PyFloat_FromDouble(o->max) : (Py_INCREF(Py_None), Py_None), "help", o->help);
            if (!d || PyList_Append(options, d) < 0) Py_CLEAR(options);
            Py_XDECREF(d);
        }
        for (unsigned bit = 1; records && (bit & PARLEY_RECORDS_ALL); bit <<= 1)
            if (parley_model_records(m) & bit) {
                PyObject *x = PyUnicode_FromString(parley_record_name(bit));
                if (!x || PyList_Append(records, x) < 0) Py_CLEAR(records);
                Py_XDECREF(x);
            }
        PyObject *d = presets && options && records
                          ? Py_BuildValue("{s:s,s:s,s:s,s:N,s:N,s:N}", "name", parley_model_name(m), "summary", parley_model_summary(m),
                                          "scope", parley_scope_name(parley_model_scope(m)), "records", records, "presets", presets,
                                          "options", options)
                          : NULL;
        if (!d) {
            if (!(presets && options && records)) Py_XDECREF(presets), Py_XDECREF(options), Py_XDECREF(records);
            Py_CLEAR(list);
        } else {
            PyList_SET_ITEM(list, (Py_ssize_t)i, d);
        }
    }
    return list;
}

/* backtest(path, capabilities=None, models=None, seed=1, threads=0, format=None, salience_scale=None)
 *   -> dict(json, text, csv, scores, issues) */
static PyObject *mod_backtest(PyObject *mod, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)mod;
    static const char *const names[] = {"path", "capabilities", "models", "seed", "threads", "format", "salience_scale"};
    PyObject *v[7];
    uint64_t seed;
    size_t threads;
    bool ok1, ok2, ok3;
    if (parse_args("backtest", args, nargs, kwnames, names, 7, v) < 0 || arg_seed(v[3], &seed) < 0 ||
        arg_count(v[4], "threads", 0, 64, 0, &threads) < 0)
        return NULL;
    if (!v[0]) return PyErr_Format(PyExc_TypeError, "backtest() needs a path or a Scenario");
    const char *caps_path = arg_str(v[1], "capabilities", &ok1);
    arg_str(v[5], "format", &ok2), arg_str(v[6], "salience_scale", &ok3); /* checked here, used by read */
    if (!ok1 || !ok2 || !ok3) return NULL;
    PyObject *scen;
    if (is_scenario(v[0])) {
        scen = Py_NewRef(v[0]);
    } else {
        PyObject *rargs[3] = {v[0], v[5] ? v[5] : Py_None, v[6] ? v[6] : Py_None};
        if (!(scen = mod_read(NULL, rargs, 3, NULL))) return NULL;
    }
    ScenarioObject *so = (ScenarioObject *)scen;
    PyObject *cap = scenario_plan(so, v[2], true), *out = NULL;
    parley_error *err = cap ? new_error() : NULL;
    parley_capabilities *caps = NULL;
    parley_backtest *b = NULL;
    if (!err) goto done;
    parley_status st = PARLEY_OK;
    if (caps_path && strcmp(caps_path, "equal")) st = parley_capabilities_read(caps_path, &caps, err);
    if (st == PARLEY_OK) {
        volatile int *flag = watch_begin();
        parley_run_options o = {0, threads, flag};
        Py_BEGIN_ALLOW_THREADS
        st = parley_backtest_run_with(so->s, plan_of(cap), caps, seed, &o, &b, err);
        Py_END_ALLOW_THREADS
    }
    if (st != PARLEY_OK) {
        raise_status(st, err);
        goto done;
    }
    char *json = parley_backtest_report(so->s, b, "json", err), *text = parley_backtest_report(so->s, b, "text", err),
         *csv = parley_backtest_report(so->s, b, "csv", err);
    PyObject *scores = PyList_New(0), *issues = PyList_New(0);
    for (size_t m = 0; scores && issues && m < parley_backtest_model_count(b); m++) {
        size_t scored;
        double mae, mdae;
        parley_backtest_summary(b, m, &scored, &mae, &mdae);
        const char *label = parley_backtest_model_label(b, m);
        PyObject *d = Py_BuildValue("{s:n,s:s,s:n,s:N,s:N}", "run", (Py_ssize_t)m, "label", label, "scored", (Py_ssize_t)scored,
                                    "mae", num_or_none(mae), "median_ae", num_or_none(mdae));
        if (!d || PyList_Append(scores, d) < 0) Py_CLEAR(scores);
        Py_XDECREF(d);
        for (size_t i = 0; issues && i < parley_backtest_issue_count(b); i++) {
            const char *id;
            double f, y;
            parley_backtest_issue(b, i, m, &id, &f, &y);
            PyObject *e = Py_BuildValue("{s:n,s:s,s:s,s:N,s:N,s:N}", "run", (Py_ssize_t)m, "label", label, "issue", id, "forecast",
                                        num_or_none(f), "outcome", num_or_none(y), "error", num_or_none(fabs(f - y)));
            if (!e || PyList_Append(issues, e) < 0) Py_CLEAR(issues);
            Py_XDECREF(e);
        }
    }
    if (json && text && csv && scores && issues)
        out = Py_BuildValue("{s:s,s:s,s:s,s:O,s:O,s:s}", "json", json, "text", text, "csv", csv, "scores", scores, "issues", issues,
                            "capabilities", parley_backtest_capabilities(b));
    else if (!PyErr_Occurred())
        raise_status(PARLEY_OK, err);
    Py_XDECREF(scores);
    Py_XDECREF(issues);
    free(json), free(text), free(csv);
done:
    parley_backtest_free(b);
    parley_capabilities_free(caps);
    parley_error_free(err);
    Py_XDECREF(cap);
    Py_DECREF(scen);
    return out;
}

/* _c_calls(scenario, spec, n) -> seconds per call: n runs made as a C program makes them (parley_run_with,
 * the result freed), timed in this process: the baseline bench/python.py sets Scenario.forecast against. */
static PyObject *mod_c_calls(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *scen, *spec;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!Un", &ScenarioType, &scen, &spec, &n)) return NULL;
    PyObject *cap = plan_for_spec(spec);
    if (!cap) return NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (Py_ssize_t i = 0; i < n; i++) {
        parley_result *r = NULL;
        parley_run_options o = {0, 0, NULL};
        parley_run_with(((ScenarioObject *)scen)->s, plan_of(cap), 1, &o, &r, NULL);
        parley_result_free(r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    Py_DECREF(cap);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return PyFloat_FromDouble(n > 0 ? s / (double)n : 0);
}

/* _register(Scenario, Result): the classes constructors make (the pure-Python layer's subclasses). */
static PyObject *mod_register(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *sc, *rc;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &sc, &PyType_Type, &rc)) return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)sc, &ScenarioType) || !PyType_IsSubtype((PyTypeObject *)rc, &ResultType)) {
        PyErr_SetString(PyExc_TypeError, "_register: expected subclasses of Scenario and Result");
        return NULL;
    }
    Py_XSETREF(scenario_class, (PyTypeObject *)Py_NewRef(sc));
    Py_XSETREF(result_class, (PyTypeObject *)Py_NewRef(rc));
    Py_RETURN_NONE;
}

static PyObject *mod_quantile_levels(PyObject *mod, PyObject *unused)
{
    (void)mod, (void)unused;
    PyObject *list = PyList_New(PARLEY_QUANTILE_COUNT);
    for (size_t k = 0; list && k < PARLEY_QUANTILE_COUNT; k++)
        PyList_SET_ITEM(list, (Py_ssize_t)k, Py_BuildValue("(sd)", parley_quantile_key(k), parley_quantile_level(k)));
    return list;
}

static PyMethodDef module_methods[] = {
    {"read", (PyCFunction)(void (*)(void))mod_read, METH_FASTCALL | METH_KEYWORDS,
     "read(path, format=None, salience_scale=None) -> Scenario\n\nReads a scenario file in any format parley reads (json, "
     "csv, bdm, ktab, decide, deu; None sniffs). Raises InputError with every fault found."},
    {"read_text", (PyCFunction)(void (*)(void))mod_read_text, METH_FASTCALL | METH_KEYWORDS,
     "read_text(text, format=None, name=None, salience_scale=None) -> Scenario\n\nA scenario from text in memory: no path; "
     "its SHA-256 is that of its canonical JSON."},
    {"models", mod_models, METH_NOARGS,
     "models() -> list of dict\n\nEvery model: name, summary, scope, records, presets (name, options, help) and options "
     "(name, type, default, choices, min, max, help), as `parley models` lists them."},
    {"_backtest", (PyCFunction)(void (*)(void))mod_backtest, METH_FASTCALL | METH_KEYWORDS, "see parley.backtest"},
    {"_register", mod_register, METH_VARARGS, "_register(Scenario, Result)"},
    {"_c_calls", mod_c_calls, METH_VARARGS, "_c_calls(scenario, spec, n) -> seconds per call of the plain C loop"},
    {"quantile_levels", mod_quantile_levels, METH_NOARGS, "quantile_levels() -> [(key, level)]: the reported quantiles."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "parley._native",
                                    "libparley's public API; use the parley package, which wraps it.", -1, module_methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void)
{
    if (PyType_Ready(&ScenarioType) < 0 || PyType_Ready(&ResultType) < 0 || PyType_Ready(&MonteCarloType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    PyObject *threading = PyImport_ImportModule("threading");
    PyObject *main_thread = threading ? PyObject_CallMethod(threading, "main_thread", NULL) : NULL;
    PyObject *ident = main_thread ? PyObject_GetAttrString(main_thread, "ident") : NULL;
    main_ident = ident ? PyLong_AsUnsignedLong(ident) : 0;
    sigaction(SIGINT, NULL, &python_sigint);
    Py_XDECREF(threading);
    Py_XDECREF(main_thread);
    Py_XDECREF(ident);
    if (PyErr_Occurred()) goto fail;
    Error = PyErr_NewExceptionWithDoc("parley.Error", "A parley call failed (a model could not run, or a bug in parley).",
                                      NULL, NULL);
    PyObject *bases = Error ? PyTuple_Pack(2, Error, PyExc_ValueError) : NULL;
    InputError = bases ? PyErr_NewExceptionWithDoc("parley.InputError",
                                                   "Bad input or usage: .diagnostics lists the errors (file, line, column, "
                                                   "field, message) in file order, .warnings the notes and warnings.",
                                                   bases, NULL)
                       : NULL;
    Py_XDECREF(bases);
    plan_cache = PyDict_New();
    if (!InputError || !plan_cache || PyModule_AddObjectRef(m, "Error", Error) < 0 ||
        PyModule_AddObjectRef(m, "InputError", InputError) < 0 ||
        PyModule_AddObjectRef(m, "Scenario", (PyObject *)&ScenarioType) < 0 ||
        PyModule_AddObjectRef(m, "Result", (PyObject *)&ResultType) < 0 ||
        PyModule_AddObjectRef(m, "MonteCarlo", (PyObject *)&MonteCarloType) < 0 ||
        PyModule_AddStringConstant(m, "version", parley_version()) < 0 ||
        PyModule_AddIntConstant(m, "schema_version", PARLEY_SCHEMA_VERSION) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
