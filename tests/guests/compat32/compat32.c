/* SPDX-License-Identifier: MIT */
/*
 * compat32.c: a 32-bit PVH kernel that stays in protected mode with paging
 * off (no libpvguest: that one is 64-bit) and makes the hypercalls whose
 * structures Xen reads in its compat layouts for such a caller
 * (pvabi/compat.h), checking Xen's answers: arguments in %ebx, %ecx, %edx,
 * %esi, %edi, 32-bit pointers, xen_pfn_t and xen_ulong_t; set_timer_op's
 * deadline in two halves; shared_info in the 32-bit layout (the hypercall
 * page is set up from 32-bit mode). Each structure sits just before a
 * page given back to the host where its native size would run over, or
 * is followed by a sentinel, so a 64-bit reading shows. It prints "ok:"
 * lines and SUCCESS, or ABORT, on the debug port, then shuts down.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/compat.h>
#include <pvabi/errno.h>
#include <pvabi/event_channel.h>
#include <pvabi/grant_table.h>
#include <pvabi/memory.h>
#include <pvabi/pvhv.h>
#include <pvabi/sched.h>
#include <pvabi/start_info.h>
#include <pvabi/vcpu.h>
#include <pvabi/version.h>

#define PAGE 4096u
#define STACK_SIZE 16384

static uint8_t stack[STACK_SIZE] __attribute__((aligned(16), used));
static uint8_t hypercall_page[PAGE] __attribute__((aligned(PAGE)));
/* Pages of the image: shared_info goes over [0]; [1] holds structs that
 * end where [2] begins; [2] and [3] are given back, then filled again;
 * grant copies go from [4] to [5]. */
static uint8_t pages[6][PAGE] __attribute__((aligned(PAGE)));

void compat32_main(uint32_t start_info);

/* The PVH entry note, and the entry: a stack, then C. */
__asm__(".section .note.pvh, \"a\", @note\n"
        ".balign 4\n"
        ".long 4, 4, 18\n" /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
        ".asciz \"Xen\"\n"
        ".balign 4\n"
        ".long compat32_start\n"
        ".section .text.boot, \"ax\", @progbits\n"
        ".code32\n"
        ".globl compat32_start\n"
        "compat32_start:\n"
        "    cld\n"
        "    movl $stack + "
        "16384"
        ", %esp\n"
        "    pushl %ebx\n"
        "    call compat32_main\n"
        "1:  jmp 1b\n"
        ".text\n");

/* ---- Output, hypercalls ----------------------------------------------------
 */

static uint32_t slen(const char *s)
{
    uint32_t n = 0;

    while (s[n])
        n++;
    return n;
}

static void out(const char *s)
{
    uint32_t n = slen(s);

    __asm__ volatile("rep outsb"
                     : "+S"(s), "+c"(n)
                     : "d"((uint16_t)PVHV_DEBUGCON_PORT)
                     : "memory");
}

static void out_num(long v)
{
    char buf[16], *p = buf + sizeof(buf) - 1;
    uint32_t u = v < 0 ? (uint32_t)-v : (uint32_t)v;

    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    out(p);
}

/* hypercall: number (nr), arguments in %ebx, %ecx, %edx, %esi, %edi. */
static long hypercall(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3,
                      uint32_t a4, uint32_t a5)
{
    uint32_t eax = (uint32_t)(uintptr_t)(hypercall_page + nr * 32);

    __asm__ volatile("call *%%eax"
                     : "+a"(eax), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4),
                       "+D"(a5)
                     :
                     : "memory");
    return (int32_t)eax;
}

static long hc2(uint32_t nr, uint32_t a1, const void *a2)
{
    return hypercall(nr, a1, (uint32_t)(uintptr_t)a2, 0, 0, 0);
}

static void __attribute__((noreturn)) shutdown(unsigned int reason)
{
    struct sched_shutdown s = {.reason = reason};

    hc2(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
    for (;;)
        ;
}

static void __attribute__((noreturn))
abort_test(const char *why, long got, long want)
{
    out("ABORT: ");
    out(why);
    out(" returned ");
    out_num(got);
    out(", expected ");
    out_num(want);
    out("\n");
    shutdown(SHUTDOWN_crash);
}

/* keep_going on the command line: count failed checks, report at the end. */
static int keep_going;
static unsigned int failed;

static void check(const char *what, long got, long want)
{
    if (got != want && keep_going) {
        out("FAILED: ");
        out(what);
        out(" -> ");
        out_num(got);
        out(", expected ");
        out_num(want);
        out("\n");
        failed++;
        return;
    }
    if (got != want)
        abort_test(what, got, want);
    out("ok: ");
    out(what);
    out(" -> ");
    out_num(got);
    out("\n");
}

/* has_word: whether (word) is a word of the command line (s). */
static int has_word(const char *s, const char *word)
{
    uint32_t n = slen(word), i;

    for (; *s; s++) {
        for (i = 0; i < n && s[i] == word[i]; i++)
            ;
        if (i == n && (s[n] == '\0' || s[n] == ' '))
            return 1;
    }
    return 0;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(0));
}

/* Xen's leaves, then the hypercall page, written from 32-bit mode. */
static void hypercall_init(void)
{
    uint32_t r[4], base;

    for (base = 0x40000000; base < 0x40010000; base += 0x100) {
        cpuid(base, r);
        if (r[1] == 0x566e6558 && r[2] == 0x65584d4d && r[3] == 0x4d4d566e)
            break;
    }
    if (base >= 0x40010000)
        abort_test("cpuid: no XenVMMXenVMM", 0, 1);
    cpuid(base + 2, r);
    __asm__ volatile("wrmsr"
                     :
                     : "c"(r[1]), "a"((uint32_t)(uintptr_t)hypercall_page),
                       "d"(0));
}

static uint32_t pfn(const void *p)
{
    return (uint32_t)(uintptr_t)p / PAGE;
}

/* ---- The checks -------------------------------------------------------------
 */

static uint32_t memmap_entries;

/* memory_op: add_to_physmap (16 B), memory_map (8 B), reservations. */
static volatile struct compat_shared_info *map_shared_info(void)
{
    struct compat_add_to_physmap a = {.domid = DOMID_SELF,
                                      .space = XENMAPSPACE_shared_info,
                                      .idx = 0,
                                      .gpfn = pfn(pages[0])};

    check("add_to_physmap(shared_info) (16-byte compat struct)",
          hc2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &a), 0);
    return (volatile struct compat_shared_info *)pages[0];
}

static void memory_map(void)
{
    /* The struct, then a sentinel where a 64-bit one has its buffer. */
    static struct {
        struct compat_memory_map m;
        uint32_t sentinel[2];
        struct e820entry e[8];
    } __attribute__((packed)) q;

    q.m.nr_entries = 8;
    q.m.buffer = (uint32_t)(uintptr_t)q.e;
    q.sentinel[0] = q.sentinel[1] = 0xdeadbeef;
    check("memory_map (8-byte compat struct)",
          hc2(__HYPERVISOR_memory_op, XENMEM_memory_map, &q.m), 0);
    check("its nr_entries", q.m.nr_entries, memmap_entries);
    check("its first entry's type", q.e[0].type, 1);
    check("its first entry's address", (long)q.e[0].addr, 0);
    check("the sentinel after it", q.sentinel[0] == 0xdeadbeef, 1);
}

static long reservation(uint32_t op, const uint32_t *list, uint32_t n)
{
    struct compat_memory_reservation r = {
        .extent_start = (uint32_t)(uintptr_t)list,
        .nr_extents = n,
        .domid = DOMID_SELF,
    };

    return hc2(__HYPERVISOR_memory_op, op, &r);
}

static void reservations(void)
{
    /* compat_pfn_t entries: a 64-bit reading would see one, wrong, pfn. */
    uint32_t list[2] = {pfn(pages[2]), pfn(pages[3])};
    domid_t self = DOMID_SELF;
    long max = hc2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, &self);

    check("decrease_reservation(2 compat_pfn_t)",
          reservation(XENMEM_decrease_reservation, list, 2), 2);
    check("current_reservation after",
          hc2(__HYPERVISOR_memory_op, XENMEM_current_reservation, &self),
          max - 2);
}

/* After reservations(): pages[2] and [3] are given back, until here. */
static void refill(void)
{
    uint32_t list[2] = {pfn(pages[2]), pfn(pages[3])};

    check("populate_physmap(2 compat_pfn_t)",
          reservation(XENMEM_populate_physmap, list, 2), 2);
    check("a populated page reads zero", pages[2][100] | pages[3][4000], 0);
}

/*
 * vcpu_op set_singleshot_timer: 12 bytes, the last of pages[1]; pages[2]
 * is given back, so a 16-byte read would fault.
 */
static void singleshot(void)
{
    struct compat_vcpu_set_singleshot_timer *t =
        (void *)(pages[2] - sizeof(*t));

    t->timeout_abs_ns = 1; /* long past */
    t->flags = VCPU_SSHOTTMR_future;
    check("set_singleshot_timer (12 bytes before a page given back)",
          hypercall(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                    (uint32_t)(uintptr_t)t, 0, 0),
          -XEN_ETIME);
}

/* xen_version platform_parameters: 4 bytes, a sentinel after them. */
static void platform_parameters(void)
{
    uint32_t p[2] = {0x11111111, 0xdeadbeef};

    check("xen_version(platform_parameters)",
          hc2(__HYPERVISOR_xen_version, XENVER_platform_parameters, p), 0);
    check("virt_start", p[0], 0);
    check("the sentinel after it", p[1] == 0xdeadbeef, 1);
}

/* grant_table_op setup_table (16 B, compat_pfn_t frames) and copy (24 B). */
static void grants(void)
{
    struct compat_gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2};
    uint32_t frames[3] = {0, 0, 0xdeadbeef};
    struct compat_gnttab_copy cp[2];

    st.frame_list = (uint32_t)(uintptr_t)frames;
    check("setup_table (16-byte compat struct)",
          hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                    (uint32_t)(uintptr_t)&st, 1, 0, 0),
          0);
    check("its status", st.status, GNTST_okay);
    check("frame 1 follows frame 0", frames[1] - frames[0], 1);
    check("the entry after them", frames[2] == 0xdeadbeef, 1);

    for (int i = 0; i < 16; i++)
        pages[4][i] = (uint8_t)(0x40 + i);
    cp[0] = (struct compat_gnttab_copy){
        .source = {.u.gmfn = pfn(pages[4]), .domid = DOMID_SELF},
        .dest = {.u.gmfn = pfn(pages[5]), .domid = DOMID_SELF, .offset = 8},
        .len = 16,
        .status = 99};
    cp[1] = cp[0];
    cp[1].dest.offset = PAGE - 8; /* runs off its page */
    check("copy, 2 elements of 24 bytes",
          hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_copy,
                    (uint32_t)(uintptr_t)cp, 2, 0, 0),
          0);
    check("element 0's status", cp[0].status, GNTST_okay);
    check("its bytes", pages[5][8] == 0x40 && pages[5][23] == 0x4f, 1);
    check("element 1's status", cp[1].status, GNTST_bad_copy_arg);
}

/*
 * Events in shared_info's 32-bit layout: the pending bit where both
 * layouts have it, the mask at 2176, the selector a 32-bit word at 4
 * naming 32-bit words; then SCHEDOP_poll (16 B).
 */
static void events(volatile struct compat_shared_info *s)
{
    volatile struct compat_vcpu_info *vi = &s->vcpu_info[0];
    struct evtchn_bind_ipi ipi = {.vcpu = 0};
    struct compat_sched_poll poll;
    uint32_t port, word, bit;

    /* A port above 32: its selector bit is 1 in the 32-bit layout, 0 in
     * the 64-bit one. */
    do
        check("bind_ipi",
              hc2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, &ipi), 0);
    while (ipi.port < 40);
    port = ipi.port;
    word = port / 32;
    bit = 1u << (port % 32);
    s->evtchn_mask[word] |= bit;
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
    vi->arch.cr2 = 0x5eec;
    check("send on it (masked)",
          hc2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &port), 0);
    check("evtchn_pending bit", (s->evtchn_pending[word] & bit) != 0, 1);
    check("no selector while masked", vi->evtchn_pending_sel, 0);
    check("unmask", hc2(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, &port),
          0);
    check("selector: bit port / 32 of the 32-bit word", vi->evtchn_pending_sel,
          (long)(1u << word));
    check("upcall_pending", vi->evtchn_upcall_pending, 1);
    check("arch.cr2 (right after the selector) untouched", vi->arch.cr2,
          0x5eec);

    poll.ports = (uint32_t)(uintptr_t)&port;
    poll.nr_ports = 1;
    poll.timeout = 1; /* long past: returns at once */
    check("SCHEDOP_poll (16-byte compat struct), port pending",
          hc2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), 0);
    s->evtchn_pending[word] &= ~bit;
    check("SCHEDOP_poll, nothing pending, timeout in the past",
          hc2(__HYPERVISOR_sched_op, SCHEDOP_poll, &poll), 0);
}

/*
 * set_timer_op(lo, hi): a deadline 2^40 ns (18 minutes) away must not
 * fire; its low half alone (1 ns, long past) would at once.
 */
static void timer(volatile struct compat_shared_info *s)
{
    struct evtchn_bind_virq v = {.virq = VIRQ_TIMER, .vcpu = 0};
    uint32_t bit, word, spin;

    check("bind_virq(VIRQ_TIMER)",
          hc2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &v), 0);
    word = v.port / 32;
    bit = 1u << (v.port % 32);
    check("set_timer_op(lo 1, hi 256)",
          hypercall(__HYPERVISOR_set_timer_op, 1, 256, 0, 0, 0), 0);
    for (spin = 0; spin < 20000; spin++)
        __asm__ volatile("" ::: "memory");
    check("VIRQ_TIMER not pending yet", (s->evtchn_pending[word] & bit) != 0,
          0);
    check("set_timer_op(lo 1, hi 0)",
          hypercall(__HYPERVISOR_set_timer_op, 1, 0, 0, 0, 0), 0);
    for (spin = 0; spin < 1000000 && !(s->evtchn_pending[word] & bit); spin++)
        __asm__ volatile("" ::: "memory");
    check("VIRQ_TIMER pending", (s->evtchn_pending[word] & bit) != 0, 1);
}

/* The wall clock where the 32-bit layout has it (2304 on). */
static void wallclock(volatile struct compat_shared_info *s)
{
    check("wc_version even, set", s->wc_version != 0 && !(s->wc_version & 1),
          1);
    check("wc_sec after 2020", s->wc_sec > 1577836800u, 1);
    check("wc_nsec below 10^9", s->wc_nsec < 1000000000u, 1);
}

void compat32_main(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    volatile struct compat_shared_info *s;

    if (si->magic != XEN_HVM_START_MAGIC_VALUE)
        abort_test("hvm_start_info magic", (long)si->magic,
                   XEN_HVM_START_MAGIC_VALUE);
    memmap_entries = si->memmap_entries;
    keep_going =
        si->cmdline_paddr &&
        has_word((const char *)(uintptr_t)si->cmdline_paddr, "keep_going");
    out("compat32: 32-bit protected mode, paging off\n");
    hypercall_init();
    check("xen_version(version)", hc2(__HYPERVISOR_xen_version, 0, 0),
          (PVHV_XEN_MAJOR << 16) | PVHV_XEN_MINOR);
    s = map_shared_info();
    wallclock(s);
    memory_map();
    platform_parameters();
    grants();
    reservations();
    singleshot();
    refill();
    events(s);
    timer(s);
    if (failed) {
        out("ABORT: ");
        out_num(failed);
        out(" checks failed\n");
        shutdown(SHUTDOWN_crash);
    }
    out("SUCCESS\n");
    shutdown(SHUTDOWN_poweroff);
}
