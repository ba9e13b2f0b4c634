/* SPDX-License-Identifier: MIT */
/* backend_types.c: every backend the hypervisor serves, one row each. */
#include "backends/backend.h"

/*
 * In attach order: the console makes the domain's backend list the
 * others join. A new backend is one file with its attach and detach and
 * one row here.
 */
const struct device_type backend_types[] = {
    {"console", step_console, unstep_console},
    {"vbd", step_disks, unstep_disks},
};

const unsigned int nr_backend_types =
    sizeof(backend_types) / sizeof(backend_types[0]);
