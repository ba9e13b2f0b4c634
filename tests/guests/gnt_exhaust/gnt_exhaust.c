/* SPDX-License-Identifier: MIT */
/*
 * gnt_exhaust.c: maps one page of ours, granted to ourselves, again and
 * again into the grant window until the hypervisor refuses: each mapping
 * costs the hypervisor process memory mappings, of which a domain may
 * hold only its share. The refusal must be GNTST_no_space, and every
 * mapping made must still work and unmap.
 * Command line: "max=N" stops after N mappings (0: until refused) and
 * then expects none refused; "hold=1" says HOLDING and keeps them until
 * the domain is ended.
 */

#include "../testguest.h"

#define WINDOW_PAGES (PVHV_GRANT_WINDOW_SIZE >> XEN_PAGE_SHIFT)

static uint8_t page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static void *addr[WINDOW_PAGES];
static grant_handle_t handle[WINDOW_PAGES];

/* map_all: mappings of (ref) until refused or (max); their number. */
static unsigned int map_all(domid_t self, grant_ref_t ref, unsigned int max,
                            int *status)
{
    unsigned int n = 0;

    *status = GNTST_okay;
    while (n < max) {
        *status = gnttab_map(self, ref, 0, &addr[n], &handle[n]);
        if (*status != GNTST_okay)
            break;
        n++;
    }
    return n;
}

static void check_refusal(unsigned int n, unsigned int max, int status)
{
    if (n == max) {
        printf("gnt_exhaust: %u mappings, none refused\n", n);
        return;
    }
    if (status != GNTST_no_space)
        test_abort("mapping %u refused with status %d, expected "
                   "GNTST_no_space (%d)",
                   n, status, GNTST_no_space);
    printf("gnt_exhaust: %u mappings, then GNTST_no_space\n", n);
}

static void check_mappings(unsigned int n)
{
    for (unsigned int i = 0; i < n; i += 97) {
        volatile uint32_t *p = addr[i];

        *p = i;
        if (*(volatile uint32_t *)page != i)
            test_abort("mapping %u at %p does not show the page", i, addr[i]);
    }
}

int main(void)
{
    unsigned long max = test_option("max", 0);
    domid_t self = pvguest_domid();
    unsigned int n;
    int ref, status;

    if (!gnttab_ready())
        test_abort("no grant table");
    if (max == 0 || max > WINDOW_PAGES - 1)
        max = WINDOW_PAGES - 1;
    ref = gnttab_grant_access(self, (uintptr_t)page >> XEN_PAGE_SHIFT, 0);
    if (ref < 0)
        test_abort("gnttab_grant_access(self) returned %d", ref);
    n = map_all(self, (grant_ref_t)ref, (unsigned int)max, &status);
    check_refusal(n, (unsigned int)max, status);
    check_mappings(n);
    if (test_option("hold", 0)) {
        puts("HOLDING");
        for (;;)
            sleep_ns(NSEC_PER_SEC);
    }
    for (unsigned int i = 0; i < n; i++)
        if (gnttab_unmap(addr[i], handle[i]) != GNTST_okay)
            test_abort("unmap %u of %u failed", i, n);
    printf("gnt_exhaust: unmapped all %u\n", n);
    /* Refused once, it maps again now that its own mappings are gone. */
    check_result("map again after unmapping all",
                 map_all(self, (grant_ref_t)ref, 1, &status), 1);
    check_result("unmap it", gnttab_unmap(addr[0], handle[0]), GNTST_okay);
    check_result("gnttab_end_access", gnttab_end_access((grant_ref_t)ref), 0);
    puts("SUCCESS");
    return 0;
}
