/* SPDX-License-Identifier: MIT */
/* error.c: filling a pvhv_error's message. */
#include <stdio.h>

#include "core/error.h"

void pvhv_error_vset(struct pvhv_error *err, const char *fmt, va_list ap)
{
    if (err)
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void pvhv_error_set(struct pvhv_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pvhv_error_vset(err, fmt, ap);
    va_end(ap);
}
