/* api.h - PARLEY_API marks what libparley exports; everything else in the library is hidden.
 *
 * The library is built with -fvisibility=hidden, so only declarations carrying this macro (the documented
 * parley_* functions of these headers) reach a program's linker: internal names cannot collide with a
 * user's own, and the exported set is the ABI we promise (checked by the `exports` test). */
#ifndef PARLEY_API_H
#define PARLEY_API_H

#if defined(__GNUC__) || defined(__clang__)
#define PARLEY_API __attribute__((visibility("default")))
#else
#define PARLEY_API
#endif

#endif
