/* SPDX-License-Identifier: MIT */
/* hypercall_page.c: the stubs a guest calls, and how they reach pvhv on KVM. */
#include <stdbool.h>
#include <string.h>

#include "core/guest_memory.h"
#include "core/vcpu.h"
#include "pvabi/xen.h"
#include "core/guest_memory.h"
#include "core/vcpu.h"
#include "pvabi/xen.h"
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
#define STUB_OUT 5 /* offset of the `out` */
#define STUB_RET 7 /* offset of the `ret`, right after the `out` */

/* stub_head: the `mov` and the `out` of stub (nr), STUB_RET bytes. */
static void stub_head(uint8_t *s, uint32_t nr)
{
    s[0] = 0xb8;
    memcpy(&s[1], &nr, sizeof(nr));
    s[STUB_OUT] = 0xe7;
    s[STUB_OUT + 1] = PVHV_HYPERCALL_PORT;
}

static void write_stub(uint8_t *s, uint32_t nr)
{
    memset(s, 0xcc, XEN_HYPERCALL_STUB_SIZE);
    if (nr == __HYPERVISOR_iret) {
        s[0] = 0x0f;
        s[1] = 0x0b;
        return;
    }
    stub_head(s, nr);
    s[STUB_RET] = 0xc3;
}

int kvm_hypercall_stubs(struct guest_ram *ram, uint64_t gpa)
{
    uint8_t *page = guest_ram_data(ram, gpa, XEN_PAGE_SIZE);
    if (!page)
        return -1;
    for (uint32_t nr = 0; nr < XEN_HYPERCALL_MAX; nr++)
        write_stub(page + nr * XEN_HYPERCALL_STUB_SIZE, nr);
    return 0;
}

int kvm_hypercall_page_fill(struct platform_vm *pvm, uint64_t gpa)
{
    return pvm ? kvm_hypercall_stubs(pvm->ram, gpa) : -1;
}

/* is_stub: whether the guest's bytes at linear (at) begin stub (nr). */
static bool is_stub(const struct guest_ram *ram, struct vcpu *v, uint64_t at,
                    uint32_t nr)
{
    uint8_t want[STUB_RET], got[STUB_RET];

    stub_head(want, nr);
    return copy_from_guest(ram, &v->ctx.paging, got, at, sizeof(got)) == 0 &&
           memcmp(got, want, sizeof(got)) == 0;
}

int kvm_hypercall_stub_at(const struct guest_ram *ram, struct vcpu *v,
                          uint64_t rip, uint32_t nr, uint64_t *start)
{
    /* Emulated exits come after the `out`, hardware ones at it. */
    static const uint64_t back[] = {STUB_RET, STUB_OUT};

    for (size_t i = 0; i < sizeof(back) / sizeof(back[0]); i++) {
        if (rip >= back[i] && is_stub(ram, v, rip - back[i], nr)) {
            *start = rip - back[i];
            return 0;
        }
    }
    return -1;
}
