/* SPDX-License-Identifier: MIT */
/* error.h: the error type, a message for a person, set printf-style. */
#ifndef PVHV_CORE_ERROR_H
#define PVHV_CORE_ERROR_H

#include <stdarg.h>

/* Errors for a person: what failed, naming the bad value and its source. */
#define PVHV_ERR_MAX 512
struct pvhv_error {
    char msg[PVHV_ERR_MAX];
};

/*
 * pvhv_error_set: formats (fmt) into (err), truncating to PVHV_ERR_MAX - 1
 * bytes if it does not fit. A NULL (err) is allowed and ignored.
 */
void pvhv_error_set(struct pvhv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* pvhv_error_vset: pvhv_error_set with a va_list. */
void pvhv_error_vset(struct pvhv_error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif /* PVHV_CORE_ERROR_H */
