/* SPDX-License-Identifier: MIT */
/* backend_types.c: every device kind a domain gets, one row each. */
#include "backends/backend.h"
#include "emulated/emulated.h"

/*
 * In attach order: the console makes the domain's backend list the
 * others join. A new backend is one file that defines its struct
 * device_type and one row here.
 */
const struct device_type *const backend_types[] = {
    &console_backend, &vbd_backend,
    &emulated_pc, /* an hvm domain's PC hardware (emulated/) */
};

const unsigned int nr_backend_types =
    sizeof(backend_types) / sizeof(backend_types[0]);
