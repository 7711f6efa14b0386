/* csvtok.h - parley's own delimited-text tokenizer: comma/semicolon/tab, quotes, BOM, CRLF, positions. */
#ifndef PARLEY_CSVTOK_H
#define PARLEY_CSVTOK_H

#include <stdbool.h>
#include <stddef.h>

#include "parley/error.h"

#define CSV_MAX_RECORD (1u << 20) /* bytes in one record: a documented limit */

typedef struct csv_field {
    size_t off, len; /* into the record's text; the text is NUL-terminated at off + len */
    int line, column;
    bool quoted;
    size_t qlen; /* quoted: the length of the text between the quotes (kept whole by csv_trim) */
} csv_field;

typedef struct csv_record {
    char *text;
    size_t text_len, text_cap;
    csv_field *f;
    size_t n, cap;
    int line;
} csv_record;

typedef struct csv_reader {
    const char *data;
    size_t len, pos;
    int line;
    char delim;
    char quote2;      /* a second quote character ('\'' for the Decide format), or 0 */
    const char *file; /* for messages */
} csv_reader;

/* Prepares r over data: skips a UTF-8 BOM and, when delim is 0, picks the delimiter (tab, ';' or ',')
 * that occurs most often outside quotes in the first non-blank line. Cannot fail. */
void csv_init(csv_reader *r, const char *data, size_t len, char delim, char quote2, const char *file);

/* Picks the delimiter again from the next non-blank line (after comment lines were skipped). */
void csv_redetect(csv_reader *r);

/* Reads the next record into rec (reusing its buffers). Returns 1 for a record, 0 at the end of input,
 * -1 on error (an unterminated quote, an over-long record, out of memory), described in err. */
int csv_read(csv_reader *r, csv_record *rec, parley_error *err);
void csv_record_free(csv_record *rec);

/* When the next line starts with '#', sets *text and *len to it (without the line end), *line to its
 * number, skips it and returns true; otherwise returns false and reads nothing. */
bool csv_comment(csv_reader *r, const char **text, size_t *len, int *line);

/* Returns field i's text (NUL-terminated), or "" when the record has fewer fields. */
const char *csv_str(const csv_record *rec, size_t i);
/* Returns true when every field of rec is blank. */
bool csv_blank(const csv_record *rec);
/* Returns the text with blanks trimmed from both ends, in place within the record. Blanks inside quotes
 * are text and stay (" a " is the id " a "); only blanks outside them go. */
const char *csv_trim(csv_record *rec, size_t i);

#endif
