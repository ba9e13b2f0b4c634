/* SPDX-License-Identifier: MIT */
/* pvctl_error.h: the error message buffer every libpvctl call fills. */
#ifndef PVHV_TOOLSTACK_PVCTL_ERROR_H
#define PVHV_TOOLSTACK_PVCTL_ERROR_H

#include <stddef.h>

/*
 * Errors for a person: one line naming the file, the line, the element, the
 * bad value and what is allowed. Big enough for two paths and a message.
 */
#define PVCTL_ERR_MAX 8192
struct pvctl_error {
    char msg[PVCTL_ERR_MAX];
};

/*
 * pvctl_error_set: formats (fmt) into (err), truncating if it does not fit.
 * (err) may be NULL. Returns nothing: callers return their own -errno.
 */
void pvctl_error_set(struct pvctl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* pvctl_error_append: as pvctl_error_set, but adds to what is there. */
void pvctl_error_append(struct pvctl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* PVHV_TOOLSTACK_PVCTL_ERROR_H */
