/* SPDX-License-Identifier: MIT */
/* internal.h: what libpvguest's files call in each other, by file. */
#ifndef PVGUEST_INTERNAL_H
#define PVGUEST_INTERNAL_H

#include <pvguest/pvguest.h>

#define NORETURN __attribute__((noreturn))

/* arch/x86_64/trap_entry.S: one 16-byte stub per exception vector. */
#define TRAP_STUB_SIZE 16
#define TRAP_NR_EXCEPTIONS 32
extern char trap_stubs[];

/* arch/x86_64/trap_entry.S: the callback vector's entry. */
extern char upcall_entry[];
/* arch/x86_64/vcpu_entry.S: where a secondary vCPU starts, in long mode. */
extern char vcpu_trampoline[];

/* arch/x86_64/traps.c: IDT, exception reports. */
int traps_init(void);
/* Points IDT gate (vector) at (entry): an interrupt gate, DPL 0. */
void traps_set_gate(unsigned int vector, const void *entry);
/* Loads the IDT on the calling vCPU (secondary vCPUs start without). */
void traps_load_idt(void);
/* Loads an empty IDT and raises #UD: a triple fault, the last way out. */
void arch_triple_fault(void) NORETURN;

/* hypercall.c: Xen CPUID leaves and the hypercall page. */
int hypercall_init(void);

/* console.c: console output, the ring or the debug port. Writes (s) to
 * the debug port only: usable from any state. */
void console_early_puts(const char *s);

/* printf.c: the formatter behind printf and snprintf. */
struct fmt_sink {
    char *buf;    /* where characters go */
    size_t size;  /* bytes in buf */
    size_t pos;   /* next free byte in buf */
    size_t total; /* characters produced so far, written or not */
    /* Empties a full buffer (printf); NULL: drop what does not fit. */
    void (*flush)(struct fmt_sink *sink);
};
void fmt_format(struct fmt_sink *sink, const char *fmt, va_list ap);

/* smp.c: per-vCPU data and secondary vCPUs. */
#define PVGUEST_MAX_VCPUS 8
/* What %gs points at on each vCPU; id first: smp_id() reads %gs:0. */
struct pcpu {
    uint32_t id;
    uint32_t pad;
};
/* Sets up vCPU 0's per-vCPU data (GS base). */
int smp_init(void);
/* The calling vCPU's id. */
static inline unsigned int smp_id(void)
{
    uint32_t id;

    __asm__("movl %%gs:0, %0" : "=r"(id));
    return id;
}

/*
 * A spinlock for data several vCPUs (and event handlers) touch. Taken
 * with interrupts off, so a handler on the same vCPU cannot spin on a
 * lock its own vCPU holds. owner = vCPU id + 1, 0 when free.
 */
struct spinlock {
    uint32_t owner;
};

static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
    unsigned long flags = local_irq_save();
    uint32_t want = smp_id() + 1, free_ = 0;

    while (!__atomic_compare_exchange_n(&l->owner, &free_, want, 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        free_ = 0;
        __asm__ volatile("pause");
    }
    return flags;
}

/* Like spin_lock_irqsave() but gives up: 0 when taken, -XEN_EBUSY not. */
static inline int spin_trylock_irqsave(struct spinlock *l, unsigned long *flags)
{
    uint32_t free_ = 0;

    *flags = local_irq_save();
    if (__atomic_compare_exchange_n(&l->owner, &free_, smp_id() + 1, 0,
                                    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return 0;
    local_irq_restore(*flags);
    return -XEN_EBUSY;
}

static inline void spin_unlock_irqrestore(struct spinlock *l,
                                          unsigned long flags)
{
    __atomic_store_n(&l->owner, 0, __ATOMIC_RELEASE);
    local_irq_restore(flags);
}

/* events.c: shared_info, the callback vector, the per-port table. */
int events_init(void);
/* Sets the interrupt flag: the boot step after events_init(). */
int events_irq_on(void);
/* Called by upcall_entry with interrupts off. */
void evtchn_do_upcall(void);
/* The calling vCPU's vcpu_info in shared_info. */
static inline struct vcpu_info *this_vcpu_info(void)
{
    return &HYPERVISOR_shared_info->vcpu_info[smp_id()];
}

/* mm.c: the page allocator (boot step after the memory map is known). */
int mm_init(void);

/* gnttab.c: our grant table (boot step after events). */
int gnttab_init(void);

/*
 * Reserved refs, for a driver that grants the same few refs again and
 * again (one per ring slot, say): taken once, each granted and ended
 * through its entry (gnttab_entry()) with the inline calls below, no
 * free list touched on the way. gnttab_end_access() refuses them;
 * gnttab_relocate() too while any is reserved (their entries would move).
 *
 * gnttab_reserve(refs, n): (n) free refs (1 to 32) into (refs), not
 * granted. Returns 0, -XEN_ENOSPC, -XEN_EINVAL, -XEN_ENOSYS.
 * gnttab_unreserve(ref): ends (ref)'s grant if any and frees it. Returns
 * 0, -XEN_EINVAL when (ref) is not reserved, -XEN_EBUSY while the
 * grantee maps it (it stays reserved then, never reused).
 * gnttab_entry(ref): (ref)'s entry; NULL for a ref past the table.
 */
int gnttab_reserve(grant_ref_t *refs, unsigned int n);
int gnttab_unreserve(grant_ref_t ref);
struct grant_entry_v1 *gnttab_entry(grant_ref_t ref);

/* An entry seen as one 8-byte word: flags, domid, frame from bit 0 on. */
typedef uint64_t __attribute__((may_alias)) gnttab_word_t;

/* gnttab_entry_word(domid, readonly): a grant's word, less its frame. */
static inline uint64_t gnttab_entry_word(domid_t domid, int readonly)
{
    return (uint64_t)domid << 16 |
           (readonly ? GTF_permit_access | GTF_readonly : GTF_permit_access);
}

/*
 * gnttab_entry_grant(e, word, frame): grants (frame) through entry (e),
 * which holds no grant (flags 0), with (word) from gnttab_entry_word().
 * One aligned 8-byte store writes domid, frame and flags at once: the
 * hypervisor sees the old entry or the whole new one, never new flags
 * with a stale domid or frame (what grant_table.h's write barrier
 * between the two is for); release orders it after our earlier stores
 * (a write's data). (frame) must be below 2^32.
 */
static inline void gnttab_entry_grant(struct grant_entry_v1 *e, uint64_t word,
                                      uint64_t frame)
{
    __atomic_store_n((gnttab_word_t *)e, word | frame << 32, __ATOMIC_RELEASE);
}

/*
 * gnttab_entry_end(e, flags): ends the grant of entry (e), whose flags
 * are most likely (flags) (what it was granted with, never with
 * GTF_reading or GTF_writing): compare-and-swap to 0, refused while
 * GTF_reading or GTF_writing is set (the grantee maps the page).
 * Returns 0 or -XEN_EBUSY.
 */
static inline int gnttab_entry_end(struct grant_entry_v1 *e, uint16_t flags)
{
    while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
        if (flags & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
    return 0;
}

/* console_ring.c: the PV console ring (boot step after time). */
int console_ring_init(void);
/* 1 once console output goes through the ring. */
int console_ring_ready(void);
/*
 * Writes (len) bytes into the ring, waiting for room. Returns how many
 * bytes it took; fewer when the ring cannot be used from here (the caller
 * writes the rest another way).
 */
size_t console_ring_write(const char *buf, size_t len);
/* Waits (briefly, bounded) until the console has read all we wrote. */
void console_ring_flush(void);

/* console_ring_read: up to (len) bytes of input from in[]; the count. */
size_t console_ring_read(char *buf, size_t len);

/* time.c: pvclock, VIRQ_TIMER. */
int time_init(void);

/* xenbus.c: the XenStore ring client. */
int xenbus_init(void);
/* 1 while watch callbacks are queued that xenbus_poll() may run now. */
int xenbus_work_pending(void);
/*
 * Nonzero when xenbus_poll() may find work: the store port fired or
 * watch reports wait. Cleared as the ring is read; a cheap test first.
 */
extern volatile int xenbus_attention;
/* The store's port, 0 when there is no store. */
extern evtchn_port_t xenbus_store_port;

/* start.c: boot order, start info. */
void pvguest_start(uint64_t start_info_paddr) NORETURN;

/* shutdown.c: ending the domain. */
void shutdown_domain(unsigned int reason) NORETURN;
/* Watches control/shutdown (boot step; needs xenbus). */
int shutdown_watch_init(void);

#endif /* PVGUEST_INTERNAL_H */
