/* fit.c - the fit's JSON: the parameters `MODEL,params=FILE` reads, with where they came from. */
#include <math.h>
#include <stdlib.h>

#include "../analysis/fit.h"
#include "../core/error_internal.h"
#include "../core/jsonw.h"
#include "parley/fit.h"
#include "report_internal.h"

static void put_figures(jw *w, const char *key, const parley_fit_figures *f)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kuint(w, "issues", f->issues);
    if (f->folds) jw_kuint(w, "folds", f->folds);
    jw_knum(w, "mae", f->mae);
    jw_knum(w, "crps", f->crps);
    jw_knum(w, "coverage_50", f->cov50);
    jw_knum(w, "coverage_80", f->cov80);
    jw_knum(w, "width_50", f->width50);
    jw_knum(w, "width_80", f->width80);
    jw_obj_end(w);
}

char *parley_fit_report(const parley_scenario *s, const parley_fit *f, parley_error *err)
{
    static const char *const names[] = {"h", "beta", "tau", "s"};
    jw w = {0};
    jw_obj(&w);
    report_json_provenance(&w, s, NULL);
    jw_kstr(&w, "model", fit_model(f));
    jw_key(&w, "params");
    jw_obj(&w);
    const char *name;
    double v;
    for (size_t i = 0; parley_fit_param(f, i, &name, &v); i++) jw_knum(&w, name, v);
    jw_obj_end(&w);
    jw_key(&w, "provenance");
    jw_obj(&w);
    jw_kstr(&w, "capabilities", fit_capabilities(f));
    jw_kuint(&w, "seed", fit_seed(f));
    parley_fit_figures in, cv;
    parley_fit_in_sample(f, &in);
    parley_fit_cross_validated(f, &cv);
    jw_kuint(&w, "issues", in.issues);
    jw_kuint(&w, "issues_without_outcome", fit_without_outcome(f));
    jw_kstr(&w, "folds", "leave one proposal out");
    jw_kuint(&w, "fold_count", cv.folds);
    jw_kstr(&w, "method", "grid search over every combination below, minimising the objective; ties to the first point");
    jw_kstr(&w, "objective",
            "mean CRPS + MAE of the median + 100 (max(0, |cov80 - 0.85| - 0.02) + max(0, |cov50 - 0.55| - 0.03))");
    jw_key(&w, "grid");
    jw_obj(&w);
    for (size_t p = 0; p < 4; p++) {
        size_t n = 0;
        const double *axis = ens_grid_axis(p, &n);
        jw_key(&w, names[p]);
        jw_arr_inline(&w);
        for (size_t i = 0; i < n; i++) jw_num(&w, axis[i]);
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    put_figures(&w, "in_sample", &in);
    put_figures(&w, "cross_validated", &cv);
    jw_obj_end(&w);
    jw_obj_end(&w);
    pu_buf_puts(&w.out, "\n");
    char *text = pu_buf_take(&w.out);
    if (!text) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return text;
}
