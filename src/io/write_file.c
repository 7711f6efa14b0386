/* write_file.c - writing an output so that nothing a user saved is lost or half-written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/error_internal.h"
#include "../core/util.h"
#include "parley/io.h"

parley_status parley_write_file(const char *path, const char *data, size_t len, parley_error *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return PERR(err, PARLEY_E_IO, "<stdout>", 0, 0, NULL, "write error");
        return PARLEY_OK;
    }
    char *tmp = pu_asprintf("%s.tmp-%ld", path, (long)getpid());
    if (!tmp) return PARLEY_E_NOMEM;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        free(tmp);
        return PARLEY_E_IO;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        PERR(err, PARLEY_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        remove(tmp);
        free(tmp);
        return PARLEY_E_IO;
    }
    free(tmp);
    return PARLEY_OK;
}

