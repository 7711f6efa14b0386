/* variant.c - building the scenario a variant describes: the base written out as native JSON, the
 * changes applied to that document, and the result read back and validated like any file. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/* A hash index of a list of objects by one string member (key) or two (key and key2), built when first
 * asked and dropped when the list changes, so that a variant of many changes costs changes + list size,
 * not changes x list size. */
typedef struct jindex {
    const char *key, *key2;
    json_t *list; /* the list indexed; another list (or NULL) means rebuild */
    pu_map map;
    char **keys; /* the map's keys (it borrows them) */
    size_t n_keys;
} jindex;

static void ix_drop(jindex *ix)
{
    for (size_t i = 0; i < ix->n_keys; i++) free(ix->keys[i]);
    free(ix->keys);
    pu_map_free(&ix->map);
    ix->keys = NULL, ix->n_keys = 0, ix->list = NULL;
}

/* Returns the map key of (id, id2): the first id's length first, so that no two pairs give one key. */
static char *ix_key(const char *id, const char *id2)
{
    return id2 ? pu_asprintf("%zu:%s%s", strlen(id), id, id2) : pu_strdup(id);
}

/* Returns the first element of list whose key equals id (and, when the index has key2, whose key2 equals
 * id2), with its position in *at; NULL when there is none (or no memory for the index). */
static json_t *find_in(jindex *ix, json_t *list, const char *id, const char *id2, size_t *at)
{
    if (ix->list != list) {
        ix_drop(ix);
        size_t n = json_array_size(list);
        ix->keys = calloc(n ? n : 1, sizeof *ix->keys);
        if (!ix->keys) return NULL;
        ix->list = list;
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(list, i);
            const char *v = json_string_value(json_object_get(e, ix->key));
            const char *v2 = ix->key2 ? json_string_value(json_object_get(e, ix->key2)) : NULL;
            if (!v || (ix->key2 && !v2)) continue;
            char *k = ix_key(v, v2);
            size_t prev;
            if (!k) continue;
            ix->keys[ix->n_keys++] = k;
            if (!pu_map_get(&ix->map, k, &prev) && !pu_map_put(&ix->map, k, i)) {
                ix_drop(ix);
                return NULL;
            }
        }
    }
    char *k = ix_key(id, id2);
    size_t i;
    bool found = k && pu_map_get(&ix->map, k, &i);
    free(k);
    if (!found) return NULL;
    if (at) *at = i;
    return json_array_get(list, i);
}

/* Applies a set, shift or scale to the number held in obj[key] (plain, or {"value": ...} with bounds,
 * which move with it). Returns false when there is no such number. */
static bool change_number(json_t *obj, const char *key, const pchange *ch)
{
    json_t *n = json_object_get(obj, key);
    if (!n) return false;
    if (ch->op == PC_SET) return json_object_set_new(obj, key, json_real(ch->value)) == 0;
    if (json_is_number(n)) {
        double v = json_number_value(n);
        return json_object_set_new(obj, key, json_real(ch->op == PC_SHIFT ? v + ch->value : v * ch->value)) == 0;
    }
    static const char *const parts[] = {"value", "low", "high", "sd"};
    for (int p = 0; p < 4; p++) {
        json_t *x = json_object_get(n, parts[p]);
        if (!json_is_number(x)) continue;
        double v = json_number_value(x);
        /* a spread shifts with nothing; everything scales */
        if (p == 3 && ch->op == PC_SHIFT) continue;
        json_object_set_new(n, parts[p], json_real(ch->op == PC_SHIFT ? v + ch->value : v * ch->value));
    }
    return true;
}

/* The indexes of the document's actors (by id) and stances (by actor and issue). */
typedef struct jindexes {
    jindex actors, stances;
} jindexes;

static parley_status apply_stance(jindexes *ix, json_t *actors, json_t *stances, const char *actor, const char *issue,
                                  const char *field, const pchange *ch, const char *file, const char *what, parley_error *err);

static parley_status apply(json_t *root, jindexes *ix, const pchange *ch, const char *file, const char *what, parley_error *err)
{
    json_t *actors = json_object_get(root, "actors"), *stances = json_object_get(root, "stances");
    if (ch->round > 0) { /* a shock: the round-based models apply it when the round comes */
        static const char *const ops[] = {"set", "shift", "scale"};
        json_t *shocks = json_object_get(root, "shocks");
        if (!shocks) json_object_set_new(root, "shocks", shocks = json_array());
        json_array_append_new(shocks, json_pack("{s:i, s:s, s:f}", "round", ch->round, ops[ch->op], ch->target,
                                                ch->op == PC_SET ? "value" : "by", ch->value));
        (void)file, (void)what, (void)err;
        return PARLEY_OK;
    }
    if (ch->op == PC_ADD) {
        json_t *a = json_pack("{s:s, s:f}", "id", ch->add_id, "capability", ch->add_capability);
        if (ch->add_name) json_object_set_new(a, "name", json_string(ch->add_name));
        json_array_append_new(actors, a);
        for (size_t k = 0; k < ch->n_stances; k++)
            json_array_append_new(stances, json_pack("{s:s, s:s, s:f, s:f}", "actor", ch->add_id, "issue", ch->stances[k].issue,
                                                     "position", ch->stances[k].position, "salience", ch->stances[k].salience));
        ix_drop(&ix->actors), ix_drop(&ix->stances); /* the lists grew */
        return PARLEY_OK;
    }
    if (ch->op == PC_REMOVE) {
        size_t at;
        if (!find_in(&ix->actors, actors, ch->target, NULL, &at))
            return PERR(err, PARLEY_E_INVALID, file, ch->loc.line, ch->loc.column, "remove", "%s: no actor \"%s\" to remove", what, ch->target);
        json_array_remove(actors, at);
        /* The actor's stances go in one pass: a new list of the others (removing one by one would shift
         * the list once per stance). */
        json_t *kept = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(stances, i, e) {
            const char *a = json_string_value(json_object_get(e, "actor"));
            if (!a || strcmp(a, ch->target)) json_array_append(kept, e);
        }
        json_object_set_new(root, "stances", kept);
        ix_drop(&ix->actors), ix_drop(&ix->stances);
        return PARLEY_OK;
    }
    /* The ids are copied whole, however long: a copy clipped to a fixed size once made a long target
     * change another actor whose id shares its first 255 bytes. */
    const char *t = ch->target, *s1 = strchr(t, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
    if (!s1) return PERR(err, PARLEY_E_INVALID, file, ch->loc.line, ch->loc.column, "target", "%s: expected a path, found \"%s\"", what, t);
    char *actor = pu_strndup(t, (size_t)(s1 - t));
    if (!actor) return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    if (!s2) {
        json_t *a = find_in(&ix->actors, actors, actor, NULL, NULL);
        parley_status st = PARLEY_OK;
        if (!a || !change_number(a, "capability", ch))
            st = PERR(err, PARLEY_E_INVALID, file, ch->loc.line, ch->loc.column, "target", "%s: actor \"%s\" has no capability to change",
                      what, actor);
        free(actor);
        return st;
    }
    char *issue = pu_strndup(s1 + 1, (size_t)(s2 - s1 - 1));
    const char *field = s2 + 1;
    parley_status rc = issue ? apply_stance(ix, actors, stances, actor, issue, field, ch, file, what, err)
                             : PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    free(actor), free(issue);
    return rc;
}

/* Applies a change of field in the stance of actor on issue (see apply). */
static parley_status apply_stance(jindexes *ix, json_t *actors, json_t *stances, const char *actor, const char *issue,
                                  const char *field, const pchange *ch, const char *file, const char *what, parley_error *err)
{
    const char *t = ch->target;
    json_t *st = find_in(&ix->stances, stances, actor, issue, NULL);
    if (!st)
        return PERR(err, PARLEY_E_INVALID, file, ch->loc.line, ch->loc.column, "target", "%s: actor \"%s\" has no stance on issue \"%s\"",
                    what, actor, issue);
    if (!change_number(st, field, ch)) {
        /* A stance without its own capability uses the actor's: set that on the stance. */
        json_t *a = find_in(&ix->actors, actors, actor, NULL, NULL);
        json_t *cap = a ? json_object_get(a, "capability") : NULL;
        double base = json_is_number(cap) ? json_number_value(cap) : json_number_value(json_object_get(cap, "value"));
        if (strcmp(field, "capability") || !a)
            return PERR(err, PARLEY_E_INVALID, file, ch->loc.line, ch->loc.column, "target", "%s: no %s to change in \"%s\"", what, field, t);
        json_object_set_new(st, "capability", json_real(base));
        change_number(st, "capability", ch);
    }
    return PARLEY_OK;
}

parley_status parley_scenario_variant(const parley_scenario *s, size_t v, parley_scenario **out, parley_error *err)
{
    *out = NULL;
    if (v >= s->n_variants) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, "variant", "no variant %zu", v);
    const pvariant *pv = &s->variants[v];
    if (!s->finalized) return PERR(err, PARLEY_E_USAGE, NULL, 0, 0, NULL, "the scenario is not finalized");
    char *text = serialize_json_part(s, false, err);
    if (!text) return PARLEY_E_NOMEM;
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    if (!root) return PERR(err, PARLEY_E_INTERNAL, NULL, 0, 0, NULL, "cannot re-read the scenario: %s", jerr.text);
    json_object_del(root, "variants");
    const char *name = s->name ? s->name : "scenario";
    char *title = pu_asprintf("%s (variant: %s)", name, pv->name ? pv->name : pv->id);
    if (title) json_object_set_new(root, "name", json_string(title));
    free(title);
    parley_status st = PARLEY_OK;
    jindexes ix = {{"id", NULL, NULL, {0}, NULL, 0}, {"actor", "issue", NULL, {0}, NULL, 0}};
    for (size_t c = 0; c < pv->n_changes && st == PARLEY_OK; c++) {
        char *what = pu_asprintf("variant \"%s\", change %zu", pv->id, c + 1);
        st = what ? apply(root, &ix, &pv->changes[c], s->source, what, err) : PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        free(what);
    }
    ix_drop(&ix.actors), ix_drop(&ix.stances);
    char *doc = st == PARLEY_OK ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(root);
    if (st != PARLEY_OK) return st;
    if (!doc) return PERR(err, PARLEY_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    char *label = pu_asprintf("%s#%s", s->source ? s->source : "scenario", pv->id);
    parley_read_options o = {"json", "fraction"};
    st = parley_read_buffer(doc, strlen(doc), label ? label : "variant", &o, out, err);
    free(label);
    free(doc);
    return st;
}
