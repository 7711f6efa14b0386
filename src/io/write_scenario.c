/* write_scenario.c - a scenario back to native JSON (lossless) or tidy CSV. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsonw.h"
#include "reader.h"

static void put_num(jw *w, const char *key, pnum n)
{
    if (!pnum_has(n)) return;
    jw_key(w, key);
    if (n.why || n.u.kind != PARLEY_DIST_NONE) {
        jw_obj(w);
        jw_knum(w, "value", n.v);
        if (n.why) jw_kstr(w, "why", n.why);
        if (n.u.kind != PARLEY_DIST_NONE) {
            jw_kstr(w, "dist", parley_dist_name(n.u.kind));
            if (isfinite(n.u.low)) jw_knum(w, "low", n.u.low);
            if (isfinite(n.u.high)) jw_knum(w, "high", n.u.high);
            if (n.u.kind == PARLEY_DIST_NORMAL) jw_knum(w, "sd", n.u.sd);
        }
        jw_obj_end(w);
    } else {
        jw_num(w, n.v);
    }
}

/* Writes the member only when the text is set: the native format leaves absent fields out. */
static void put_str(jw *w, const char *key, const char *v)
{
    if (v) jw_kstr(w, key, v);
}

/* Writes an option issue's reference or outcome as the option's text (with its reason, when written). */
static void put_option(jw *w, const char *key, const pissue *is, pnum n)
{
    if (!pnum_has(n) || !(n.v >= 0 && n.v < (double)is->n_options)) return;
    const char *text = is->options[(size_t)n.v];
    jw_key(w, key);
    if (n.why) {
        jw_obj(w);
        jw_kstr(w, "value", text);
        jw_kstr(w, "why", n.why);
        jw_obj_end(w);
    } else {
        jw_str(w, text);
    }
}

char *serialize_json(const parley_scenario *s, parley_error *err)
{
    return serialize_json_part(s, true, err);
}

char *serialize_json_part(const parley_scenario *s, bool variants, parley_error *err)
{
    jw w = {0};
    jw_obj(&w);
    jw_kint(&w, "schema_version", 1);
    put_str(&w, "name", s->name);
    put_str(&w, "description", s->description);
    put_str(&w, "date", s->date);
    if (s->n_sources) {
        jw_key(&w, "sources");
        jw_arr(&w);
        for (size_t i = 0; i < s->n_sources; i++) jw_str(&w, s->sources[i]);
        jw_arr_end(&w);
    }
    put_str(&w, "notes", s->notes);
    if (s->batch) {
        jw_kbool(&w, "batch", true);
    }
    put_str(&w, "models", s->models);
    jw_key(&w, "issues");
    jw_arr(&w);
    for (size_t k = 0; k < s->n_issues; k++) {
        const pissue *is = &s->issues[k];
        jw_obj(&w);
        put_str(&w, "id", is->id);
        put_str(&w, "label", is->label);
        put_str(&w, "description", is->description);
        put_str(&w, "date", is->date);
        if (is->n_options) {
            jw_key(&w, "options");
            jw_arr(&w);
            for (size_t j = 0; j < is->n_options; j++) jw_str(&w, is->options[j]);
            jw_arr_end(&w);
            put_str(&w, "low_label", is->low_label);
            put_str(&w, "high_label", is->high_label);
            put_option(&w, "reference", is, is->reference);
            put_option(&w, "outcome", is, is->outcome);
        } else {
            put_num(&w, "low", is->low);
            put_str(&w, "low_label", is->low_label);
            put_num(&w, "high", is->high);
            put_str(&w, "high_label", is->high_label);
            put_num(&w, "reference", is->reference);
            put_num(&w, "outcome", is->outcome);
            if (is->integer) jw_kstr(&w, "type", "integer");
            if (is->grid) jw_kint(&w, "grid", (long long)is->grid);
        }
        if (is->n_attrs) {
            jw_key(&w, "attributes");
            jw_obj(&w);
            for (size_t i = 0; i < is->n_attrs; i++) put_str(&w, is->attrs[i].key, is->attrs[i].value);
            jw_obj_end(&w);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "actors");
    jw_arr(&w);
    for (size_t a = 0; a < s->n_actors; a++) {
        const pactor *act = &s->actors[a];
        jw_obj(&w);
        put_str(&w, "id", act->id);
        put_str(&w, "name", act->name);
        put_str(&w, "description", act->description);
        put_num(&w, "capability", act->capability);
        put_num(&w, "reservation", act->reservation);
        if (!isnan(act->discount)) jw_knum(&w, "discount", act->discount);
        put_str(&w, "strategy", act->strategy);
        if (act->weights_as_written) jw_kstr(&w, "weights", "as written");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "stances");
    jw_arr(&w);
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        jw_obj(&w);
        put_str(&w, "actor", s->actors[st->actor].id);
        put_str(&w, "issue", s->issues[st->issue].id);
        put_num(&w, "position", st->position);
        put_num(&w, "salience", st->salience);
        put_num(&w, "capability", st->capability);
        const pissue *is = &s->issues[st->issue];
        if (st->evals && is->n_options) {
            jw_key(&w, "evaluations");
            jw_obj(&w);
            for (size_t j = 0; j < is->n_options; j++)
                if (!isnan(st->evals[j])) jw_knum(&w, is->options[j], st->evals[j]);
            jw_obj_end(&w);
        }
        if (st->linear) {
            jw_key(&w, "evaluator");
            jw_obj(&w);
            jw_knum(&w, "slope", st->slope);
            jw_knum(&w, "offset", st->offset);
            jw_knum(&w, "origin", st->origin);
            jw_obj_end(&w);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    static const char *const ops[] = {"set", "shift", "scale", "remove", "add"};
    if (s->n_shocks) {
        jw_key(&w, "shocks");
        jw_arr(&w);
        for (size_t i = 0; i < s->n_shocks; i++) {
            const pshock *k = &s->shocks[i];
            char *path = pu_asprintf("%s/%s/position", s->actors[k->actor].id, s->issues[k->issue].id);
            jw_obj(&w);
            jw_kint(&w, "round", k->round);
            jw_kstr(&w, ops[k->op], path ? path : "");
            jw_knum(&w, k->op == PC_SET ? "value" : "by", k->value);
            jw_obj_end(&w);
            free(path);
        }
        jw_arr_end(&w);
    }
    if (variants && s->n_variants) {
        jw_key(&w, "variants");
        jw_arr(&w);
        for (size_t v = 0; v < s->n_variants; v++) {
            const pvariant *pv = &s->variants[v];
            jw_obj(&w);
            put_str(&w, "id", pv->id);
            put_str(&w, "name", pv->name);
            put_str(&w, "description", pv->description);
            jw_key(&w, "changes");
            jw_arr(&w);
            for (size_t c = 0; c < pv->n_changes; c++) {
                const pchange *ch = &pv->changes[c];
                jw_obj(&w);
                if (ch->op == PC_ADD) {
                    jw_key(&w, "add");
                    jw_obj(&w);
                    put_str(&w, "id", ch->add_id);
                    put_str(&w, "name", ch->add_name);
                    jw_knum(&w, "capability", ch->add_capability);
                    jw_obj_end(&w);
                    jw_key(&w, "stances");
                    jw_arr(&w);
                    for (size_t k = 0; k < ch->n_stances; k++) {
                        jw_obj(&w);
                        put_str(&w, "issue", ch->stances[k].issue);
                        jw_knum(&w, "position", ch->stances[k].position);
                        jw_knum(&w, "salience", ch->stances[k].salience);
                        jw_obj_end(&w);
                    }
                    jw_arr_end(&w);
                } else {
                    jw_kstr(&w, ops[ch->op], ch->target);
                    if (ch->op != PC_REMOVE) jw_knum(&w, ch->op == PC_SET ? "value" : "by", ch->value);
                    if (ch->round > 0) jw_kint(&w, "round", ch->round);
                }
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    char *text = pu_buf_take(&w.out);
    if (!text) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return text;
}

/* Writes a CSV cell, quoting it when it holds a delimiter, a quote, a line break or edge blanks (blanks
 * inside quotes are text to the reader, so " a" reads back as " a", not "a"). */
static void csv_cell(pu_buf *b, const char *v, bool last)
{
    if (!v) v = "";
    size_t n = strlen(v);
    bool quote = n && (strpbrk(v, ",\"\n\r;\t") || isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1]));
    if (quote) {
        pu_buf_puts(b, "\"");
        for (const char *p = v; *p; p++) {
            pu_buf_append(b, p, 1);
            if (*p == '"') pu_buf_puts(b, "\"");
        }
        pu_buf_puts(b, "\"");
    } else {
        pu_buf_puts(b, v);
    }
    pu_buf_puts(b, last ? "\n" : ",");
}

static void csv_num(pu_buf *b, double v, bool last)
{
    char buf[40] = "";
    if (!isnan(v)) pu_fmt_double(buf, sizeof buf, v);
    csv_cell(b, buf, last);
}

/* True when a text fits a "# key: value" comment line and reads back the same: one line, no edge blanks. */
static bool one_line(const char *v)
{
    size_t n = strlen(v);
    return !strpbrk(v, "\n\r") && !(n && (isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1])));
}

/* The scenario's own texts that the tidy CSV holds on "# key: value" comment lines, and their keys. */
enum { N_TEXTS = 5 };
static const char *const text_keys[N_TEXTS] = {"name", "description", "date", "notes", "models"};

static void scenario_texts(const parley_scenario *s, const char *texts[N_TEXTS])
{
    texts[0] = s->name, texts[1] = s->description, texts[2] = s->date, texts[3] = s->notes, texts[4] = s->models;
}

/* Counts of what the tidy CSV cannot hold, for the warnings of serialize_csv. */
typedef struct csv_losses {
    size_t why_salience, why_capability, why_issue, dates, attrs;
} csv_losses;

static void count_why(size_t *n, const pnum *x)
{
    *n += x->why != NULL;
}

/* Says, one warning per kind, what the tidy CSV cannot hold and was dropped: the variants and shocks by
 * name, texts that do not fit one line, reasons other than positions', issue dates and attributes, and
 * actors and issues without a stance (a CSV row is a stance). Nothing is dropped without a word. */
static void csv_warn_losses(const parley_scenario *s, parley_error *err)
{
    if (s->n_variants) {
        pu_buf b = {0};
        for (size_t v = 0; v < s->n_variants; v++) pu_buf_printf(&b, "%s\"%s\"", v ? ", " : "", s->variants[v].id ? s->variants[v].id : "");
        PWARN(err, NULL, 0, 0, "variants", "CSV cannot hold variants: dropped %zu (%s); convert to JSON to keep them",
              s->n_variants, b.data ? b.data : "");
        pu_buf_free(&b);
    }
    if (s->n_shocks) {
        static const char *const ops[] = {"set", "shift", "scale"};
        pu_buf b = {0};
        for (size_t i = 0; i < s->n_shocks; i++) {
            const pshock *k = &s->shocks[i];
            pu_buf_printf(&b, "%s%s %s/%s/position at round %d", i ? ", " : "", ops[k->op <= PC_SCALE ? k->op : 0],
                          s->actors[k->actor].id, s->issues[k->issue].id, k->round);
        }
        PWARN(err, NULL, 0, 0, "shocks", "CSV cannot hold shocks: dropped %zu (%s); convert to JSON to keep them", s->n_shocks,
              b.data ? b.data : "");
        pu_buf_free(&b);
    }
    const char *texts[N_TEXTS];
    scenario_texts(s, texts);
    for (int i = 0; i < N_TEXTS; i++)
        if (texts[i] && !one_line(texts[i]))
            PWARN(err, NULL, 0, 0, text_keys[i], "CSV holds the scenario's %s on one \"# %s:\" line; dropped it, as it has a line "
                  "break or blanks at an end", text_keys[i], text_keys[i]);
    size_t bad_sources = 0;
    for (size_t i = 0; i < s->n_sources; i++) bad_sources += !one_line(s->sources[i]);
    if (bad_sources)
        PWARN(err, NULL, 0, 0, "sources", "CSV holds each source on one \"# source:\" line; dropped %zu with a line break or "
              "blanks at an end", bad_sources);
    if (s->batch) PWARN(err, NULL, 0, 0, "batch", "CSV cannot mark a batch of unrelated decisions: dropped \"batch\"");
    csv_losses l = {0};
    bool *has_actor = calloc(s->n_actors ? s->n_actors : 1, 1), *has_issue = calloc(s->n_issues ? s->n_issues : 1, 1);
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        count_why(&l.why_salience, &st->salience), count_why(&l.why_capability, &st->capability);
        if (has_actor) has_actor[st->actor] = true;
        if (has_issue) has_issue[st->issue] = true;
    }
    for (size_t a = 0; a < s->n_actors; a++) count_why(&l.why_capability, &s->actors[a].capability);
    for (size_t k = 0; k < s->n_issues; k++) {
        const pissue *is = &s->issues[k];
        count_why(&l.why_issue, &is->low), count_why(&l.why_issue, &is->high);
        count_why(&l.why_issue, &is->reference), count_why(&l.why_issue, &is->outcome);
        l.dates += is->date != NULL;
        l.attrs += is->n_attrs;
    }
    if (l.why_salience || l.why_capability || l.why_issue)
        PWARN(err, NULL, 0, 0, "why", "CSV holds a reason for positions only (the \"why\" column): dropped the reasons of "
              "%zu salience%s, %zu capabilit%s and %zu scale end%s, reference point%s or outcome%s",
              l.why_salience, l.why_salience == 1 ? "" : "s", l.why_capability, l.why_capability == 1 ? "y" : "ies",
              l.why_issue, l.why_issue == 1 ? "" : "s", l.why_issue == 1 ? "" : "s", l.why_issue == 1 ? "" : "s");
    if (l.dates) PWARN(err, NULL, 0, 0, "date", "CSV cannot hold issue dates: dropped %zu", l.dates);
    size_t prefs = 0, evaluators = 0, kinds = 0, resv_why = 0;
    for (size_t a = 0; a < s->n_actors; a++) {
        const pactor *act = &s->actors[a];
        prefs += !isnan(act->discount) || act->weights_as_written;
        resv_why += act->reservation.why != NULL;
    }
    for (size_t i = 0; i < s->n_stances; i++) evaluators += s->stances[i].linear;
    for (size_t k = 0; k < s->n_issues; k++) kinds += s->issues[k].integer || s->issues[k].grid;
    if (prefs)
        PWARN(err, NULL, 0, 0, "actors", "CSV cannot hold discount factors or weights as written: dropped them for %zu "
              "actor%s; convert to JSON to keep them", prefs, prefs == 1 ? "" : "s");
    if (resv_why)
        PWARN(err, NULL, 0, 0, "why", "CSV holds a reason for positions only: dropped the reasons of %zu reservation "
              "value%s", resv_why, resv_why == 1 ? "" : "s");
    if (evaluators)
        PWARN(err, NULL, 0, 0, "evaluator", "CSV cannot hold evaluators: dropped %zu (the positions stay); convert to JSON "
              "to keep them", evaluators);
    if (kinds)
        PWARN(err, NULL, 0, 0, "type", "CSV cannot hold integer issues or grids: dropped them on %zu issue%s", kinds,
              kinds == 1 ? "" : "s");
    if (l.attrs) PWARN(err, NULL, 0, 0, "attributes", "CSV cannot hold issue attributes: dropped %zu", l.attrs);
    for (size_t a = 0; a < s->n_actors && has_actor; a++)
        if (!has_actor[a])
            PWARN(err, NULL, 0, 0, "actors", "CSV holds an actor only with a stance (a row): dropped actor \"%s\", which has none",
                  s->actors[a].id);
    for (size_t k = 0; k < s->n_issues && has_issue; k++)
        if (!has_issue[k])
            PWARN(err, NULL, 0, 0, "issues", "CSV holds an issue only with a stance (a row): dropped issue \"%s\", which has none",
                  s->issues[k].id);
    free(has_actor), free(has_issue);
}

char *serialize_csv(const parley_scenario *s, parley_error *err)
{
    pu_buf b = {0};
    for (size_t k = 0; k < s->n_issues; k++)
        if (s->issues[k].n_options) {
            PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "options", "CSV cannot hold option issues (issue \"%s\" has options): "
                 "write JSON instead", s->issues[k].id);
            return NULL;
        }
    csv_warn_losses(s, err);
    /* The scenario's own texts go on comment lines before the header (the reader takes them back). */
    const char *texts[N_TEXTS];
    scenario_texts(s, texts);
    for (int i = 0; i < N_TEXTS; i++)
        if (texts[i] && one_line(texts[i])) pu_buf_printf(&b, "# %s: %s\n", text_keys[i], texts[i]);
    for (size_t i = 0; i < s->n_sources; i++)
        if (one_line(s->sources[i])) pu_buf_printf(&b, "# source: %s\n", s->sources[i]);
    bool unc = false, adesc = false, idesc = false, why = false, resv = false, strat = false;
    for (size_t a = 0; a < s->n_actors; a++) resv |= pnum_has(s->actors[a].reservation), strat |= s->actors[a].strategy != NULL;
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        unc |= st->position.u.kind || st->salience.u.kind || st->capability.u.kind || s->actors[st->actor].capability.u.kind;
        adesc |= s->actors[st->actor].description != NULL;
        idesc |= s->issues[st->issue].description != NULL;
        why |= st->position.why != NULL;
    }
    /* The optional columns appear only when some row fills them, so a plain scenario keeps its plain table. */
    pu_buf_puts(&b, "actor,issue,position,salience,capability,actor_name,issue_label,low,high,low_label,high_label,"
                    "reference,outcome");
    if (adesc) pu_buf_puts(&b, ",actor_description");
    if (idesc) pu_buf_puts(&b, ",issue_description");
    if (why) pu_buf_puts(&b, ",why");
    if (resv) pu_buf_puts(&b, ",reservation");
    if (strat) pu_buf_puts(&b, ",strategy");
    pu_buf_puts(&b, unc ? ",position_dist,position_low,position_high,position_sd,salience_dist,salience_low,"
                          "salience_high,salience_sd,capability_dist,capability_low,capability_high,capability_sd\n"
                        : "\n");
    for (size_t i = 0; i < s->n_stances; i++) {
        const pstance *st = &s->stances[i];
        const pactor *a = &s->actors[st->actor];
        const pissue *is = &s->issues[st->issue];
        csv_cell(&b, a->id, false);
        csv_cell(&b, is->id, false);
        csv_num(&b, st->position.v, false);
        csv_num(&b, st->salience.v, false);
        csv_num(&b, pnum_has(st->capability) ? st->capability.v : a->capability.v, false);
        csv_cell(&b, a->name, false);
        csv_cell(&b, is->label, false);
        csv_num(&b, is->low.v, false);
        csv_num(&b, is->high.v, false);
        csv_cell(&b, is->low_label, false);
        csv_cell(&b, is->high_label, false);
        csv_num(&b, is->reference.v, false);
        bool more = adesc || idesc || why || resv || strat || unc;
        csv_num(&b, is->outcome.v, !more);
        if (adesc) csv_cell(&b, a->description, !(idesc || why || resv || strat || unc));
        if (idesc) csv_cell(&b, is->description, !(why || resv || strat || unc));
        if (why) csv_cell(&b, st->position.why, !(resv || strat || unc));
        if (resv) csv_num(&b, a->reservation.v, !(strat || unc));
        if (strat) csv_cell(&b, a->strategy, !unc);
        if (!unc) continue;
        const pnum *f[3] = {&st->position, &st->salience, pnum_has(st->capability) ? &st->capability : &a->capability};
        for (int k = 0; k < 3; k++) {
            bool has = f[k]->u.kind != PARLEY_DIST_NONE;
            csv_cell(&b, has ? parley_dist_name(f[k]->u.kind) : NULL, false);
            csv_num(&b, has ? f[k]->u.low : NAN, false);
            csv_num(&b, has ? f[k]->u.high : NAN, false);
            csv_num(&b, has && f[k]->u.kind == PARLEY_DIST_NORMAL ? f[k]->u.sd : NAN, k == 2);
        }
    }
    char *text = pu_buf_take(&b);
    if (!text) PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return text;
}
