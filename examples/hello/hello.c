/* SPDX-License-Identifier: MIT */
/* hello.c: the smallest pvhv guest: greets, shows its cmdline, powers off. */

#include <pvguest/pvguest.h>

int main(void)
{
    xen_extraversion_t extra;
    long version;

    printf("Hello from pvhv domain %u!\n", (unsigned int)pvguest_domid());
    printf("cmdline: %s\n", pvguest_cmdline());

    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    if (version < 0) {
        printf("xen_version(XENVER_version) failed: %ld\n", version);
        return 1;
    }
    memset(extra, 0, sizeof(extra));
    if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
        extra[0] = '\0';
    extra[sizeof(extra) - 1] = '\0';
    printf("hypervisor: Xen %ld.%ld%s\n", version >> 16, version & 0xffff,
           extra);
    return 0;
}
