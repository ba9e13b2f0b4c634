/* SPDX-License-Identifier: MIT */
/* backend_types.c: every backend the hypervisor serves, one row each. */
#include "backends/backend.h"

/*
 * In attach order: the console makes the domain's backend list the
 * others join. A new backend is one file that defines its struct
 * device_type and one row here.
 */
const struct device_type *const backend_types[] = {
    &console_backend,
    &vbd_backend,
};

const unsigned int nr_backend_types =
    sizeof(backend_types) / sizeof(backend_types[0]);
