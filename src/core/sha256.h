/* sha256.h - SHA-256 (FIPS 180-4), so every result can name the exact input it came from. */
#ifndef PARLEY_SHA256_H
#define PARLEY_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 64 lowercase hex digits of SHA-256(data) and a NUL into hex. Cannot fail. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
