/* SPDX-License-Identifier: MIT */
/* check_abi_xen_skip.c: check_abi_xen where Xen's headers are missing. */
#include <stdio.h>

int main(void)
{
    const char *why =
        "Xen's public headers (<xen/xen.h>) were not found at configure time; install libxen-dev and re-run configure to compare our ABI with Xen's";
    printf("SKIP: %s\n", why);
    dprintf(9, "  check_abi_xen: SKIP: %s\n", why); /* make check's output */
    return 77;                                      /* Automake: test skipped */
}
