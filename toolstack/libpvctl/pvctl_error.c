/* SPDX-License-Identifier: MIT */
/* pvctl_error.c: the error message buffer every libpvctl call fills. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pvctl_error.h"

void pvctl_error_set(struct pvctl_error *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

void pvctl_error_append(struct pvctl_error *err, const char *fmt, ...)
{
    va_list ap;
    size_t used;

    if (!err)
        return;
    used = strnlen(err->msg, sizeof(err->msg));
    if (used + 1 >= sizeof(err->msg))
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
    va_end(ap);
}
