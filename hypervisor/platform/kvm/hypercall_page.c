/* SPDX-License-Identifier: MIT */
/* hypercall_page.c: the stubs a guest calls, and how they reach pvhv on KVM. */
#include <string.h>

#include "core/domain.h"
#include "platform/kvm/kvm.h"
#include "pvabi/pvhv.h"

/*
 * Each 32-byte stub is
 *     b8 <nr:imm32>     mov $nr, %eax
 *     e7 <port:imm8>    out %eax, $PVHV_HYPERCALL_PORT
 *     c3                ret
 * padded with int3. KVM handles `vmcall` in the kernel, so port I/O is the
 * cheapest instruction that exits to us; an imm8 port keeps %dx, which
 * carries the third argument, untouched. The iret slot traps (ud2), as on
 * Xen, because PVH guests must not call it.
 */
static void write_stub(uint8_t *s, uint32_t nr)
{
    memset(s, 0xcc, XEN_HYPERCALL_STUB_SIZE);
    if (nr == __HYPERVISOR_iret) {
        s[0] = 0x0f;
        s[1] = 0x0b;
        return;
    }
    s[0] = 0xb8;
    memcpy(&s[1], &nr, sizeof(nr));
    s[5] = 0xe7;
    s[6] = PVHV_HYPERCALL_PORT;
    s[7] = 0xc3;
}

int kvm_hypercall_page_fill(struct domain *d, uint64_t gpa)
{
    uint8_t *page = guest_ram_ptr(&d->ram, gpa, XEN_PAGE_SIZE);
    if (!page)
        return -1;
    for (uint32_t nr = 0; nr < XEN_HYPERCALL_MAX; nr++)
        write_stub(page + nr * XEN_HYPERCALL_STUB_SIZE, nr);
    return 0;
}
