/* write_file.h - what the tests may reach inside the safe writer (src/io/write_file.c). */
#ifndef PARLEY_WRITE_FILE_H
#define PARLEY_WRITE_FILE_H

/* Called with the temporary file's name once it exists and before anything is written to it, so a test
 * can interrupt a write at exactly that point. NULL in normal use. */
extern void (*parley__write_hook)(const char *tmp_path);

#endif
