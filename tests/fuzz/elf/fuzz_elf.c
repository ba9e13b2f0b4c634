/* SPDX-License-Identifier: MIT */
/* fuzz_elf.c: fuzz target: the input as a kernel file through elf_parse,
 * elf_load and boot_build. */
#include <stdint.h>
#include <stdlib.h>

#include "pvhv.h"
#include "core/loader.h"

/*
 * 2 MiB of guest RAM, allocated once at its exact size (ASan sees a write
 * past its end). Nothing the loader decides depends on what an earlier
 * input left in it, so it is not cleared between inputs.
 */
#define FUZZ_RAM_SIZE (2ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct guest_ram ram;
    struct elf_image img;
    struct boot_layout layout;
    struct pvhv_error err;

    if (!ram.host) {
        ram.host = malloc(FUZZ_RAM_SIZE);
        if (!ram.host)
            abort();
        ram.size = ram.low_size = FUZZ_RAM_SIZE;
    }
    if (elf_parse("fuzz.elf", data, size, &ram, &img, &err) != 0)
        return 0;
    elf_load(&img, data, &ram);
    /* A command line and extra pages, as pvhv_domain_create asks. */
    boot_build(&img, &ram, "console=hvc0 fuzz=1", 2, &layout, &err);
    return 0;
}
