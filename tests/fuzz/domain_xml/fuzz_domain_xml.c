/* SPDX-License-Identifier: MIT */
/* fuzz_domain_xml.c: fuzz target: the input as a domain XML file through
 * domain_xml_load. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpvctl/domain_xml.h"

#ifndef FUZZ_SCHEMA_DIR
#error "FUZZ_SCHEMA_DIR must name the folder of domain.rng"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One temporary file, rewritten for each input, removed at exit. */
static char path[64]; /* TMPDIR (if short) or /tmp */

static void remove_file(void)
{
    if (path[0])
        unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* The schema of the source tree, unless the caller names another. */
    setenv("PVHV_DATADIR", FUZZ_SCHEMA_DIR, 0);
    const char *tmp = getenv("TMPDIR");

    snprintf(path, sizeof(path), "%s/pvhv-fuzz-xml-XXXXXX",
             tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("fuzz_domain_xml: mkstemp");
        abort();
    }
    close(fd);
    atexit(remove_file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct domain_def def; /* 70 KiB: not on the stack */
    struct pvctl_error err;
    FILE *f = fopen(path, "wb");

    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
        perror("fuzz_domain_xml: writing the input");
        abort();
    }
    memset(&def, 0, sizeof(def));
    domain_xml_load(path, &def, &err);
    return 0;
}
