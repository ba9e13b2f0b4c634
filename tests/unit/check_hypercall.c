/* SPDX-License-Identifier: MIT */
/* check_hypercall.c: the hypercall table and the handlers it serves. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/pvhv.h"
#include "pvabi/sched.h"
#include "pvabi/version.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/hypercall.h"
#include "domain_fixture.h"

#define RAM_SIZE (4ULL << 20)
#define BAD_VA 0x10000000ULL /* beyond RAM */

/* A domain with one vCPU, paging off, and a console sink that records. */
static struct domain *d;
static struct vcpu *v;
static char console[8192];
static size_t console_len;
static unsigned int console_calls;

static void console_sink(void *opaque, const char *buf, size_t len)
{
    ck_assert_ptr_eq(opaque, &console);
    ck_assert_uint_le(len, 1024);
    ck_assert_uint_le(console_len + len, sizeof(console));
    memcpy(console + console_len, buf, len);
    console_len += len;
    console_calls++;
}

/* A domain of 4 MiB and one vCPU, built (domain_build), then running. */
static void setup(void)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, RAM_SIZE);
    cfg.console = console_sink;
    cfg.console_opaque = &console;
    d = fixture_domain(&cfg, 7);
    v = &d->vcpus[0];
    atomic_store(&d->state, DOMAIN_RUNNING);
    console_len = 0;
    console_calls = 0;
}

static void teardown(void)
{
    fixture_destroy(d);
}

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t arg[5] = {a0, a1, a2, 0, 0};

    return hypercall_dispatch(v, nr, arg);
}

/*
 * Identity map of the first 1 GiB with 2 MiB pages, long mode: PML4
 * 0x1000, PDPT 0x2000, PD 0x3000. The page at 0x200000 is read-only.
 */
static void paging_on(void)
{
    uint64_t e;
    unsigned int i;

    e = 0x2000 | 3;
    memcpy(d->ram.host + 0x1000, &e, 8);
    e = 0x3000 | 3;
    memcpy(d->ram.host + 0x2000, &e, 8);
    for (i = 0; i < 512; i++) {
        e = ((uint64_t)i << 21) | 0x81 | (i == 1 ? 0 : 2);
        memcpy(d->ram.host + 0x3000 + i * 8, &e, 8);
    }
    v->ctx.paging = (struct guest_paging){
        .cr0 = 0x80010001, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500};
}

START_TEST(test_table)
{
    const struct hypercall *h;

    h = hypercall_lookup(__HYPERVISOR_console_io);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h->name, "console_io");
    ck_assert(h->fn == do_console_io);
    ck_assert_uint_eq(h->nargs, 3);
    h = hypercall_lookup(__HYPERVISOR_xen_version);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h->name, "xen_version");
    ck_assert(h->fn == do_xen_version);
    h = hypercall_lookup(__HYPERVISOR_sched_op);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h->name, "sched_op");
    ck_assert(h->fn == do_sched_op);
    h = hypercall_lookup(__HYPERVISOR_event_channel_op);
    ck_assert_ptr_nonnull(h);
    ck_assert(h->fn == do_event_channel_op);
    ck_assert_uint_eq(h->nargs, 2);
    ck_assert(hypercall_lookup(__HYPERVISOR_memory_op)->fn == do_memory_op);
    ck_assert(hypercall_lookup(__HYPERVISOR_hvm_op)->fn == do_hvm_op);
    ck_assert(hypercall_lookup(__HYPERVISOR_vcpu_op)->fn == do_vcpu_op);
    ck_assert_uint_eq(hypercall_lookup(__HYPERVISOR_vcpu_op)->nargs, 3);
    ck_assert(hypercall_lookup(__HYPERVISOR_set_timer_op)->fn ==
              do_set_timer_op);
    ck_assert_ptr_null(hypercall_lookup(__HYPERVISOR_mmu_update));
    ck_assert_ptr_null(hypercall_lookup(11));
    ck_assert_ptr_null(hypercall_lookup(XEN_HYPERCALL_MAX));
    ck_assert_ptr_null(hypercall_lookup(UINT64_MAX));
}
END_TEST

START_TEST(test_dispatch_errors)
{
    uint64_t nr;

    for (nr = 0; nr < XEN_HYPERCALL_MAX; nr++) {
        if (hypercall_lookup(nr))
            continue; /* served: the handlers' own tests cover them */
        ck_assert_int_eq(call(nr, 0, 0, 0), -XEN_ENOSYS);
    }
    ck_assert_int_eq(call(XEN_HYPERCALL_MAX, 0, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(call(1000, 0, 0, 0), -XEN_ENOSYS);
    ck_assert_int_eq(call(UINT64_MAX, 0, 0, 0), -XEN_ENOSYS);
    v->ctx.cpl = 3;
    ck_assert_int_eq(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0),
                     -XEN_EPERM);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op, 0, 0, 0), -XEN_EPERM);
}
END_TEST

START_TEST(test_counters)
{
    call(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    call(__HYPERVISOR_memory_op, 0, 0, 0);
    call(500, 0, 0, 0);
    ck_assert_uint_eq(d->hypercalls, 4);
    ck_assert_uint_eq(d->hypercall_count[__HYPERVISOR_xen_version], 2);
    ck_assert_uint_eq(d->hypercall_count[__HYPERVISOR_memory_op], 1);
    ck_assert_uint_eq(d->hypercall_count[__HYPERVISOR_console_io], 0);
}
END_TEST

/* dmesg: the domain's log as pvhv_domain_dmesg gives it. */
static const char *dmesg(void)
{
    static char buf[CONSOLE_LOG_KEEP + 1];

    console_log_read(d, buf, sizeof(buf));
    return buf;
}

/* console_io goes to the domain's log, as lines; never to its console. */
START_TEST(test_console_write)
{
    static char text[3000];
    unsigned int i;

    memcpy(d->ram.host + 0x1000, "hello\n", 6);
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 6, 0x1000),
                     0);
    ck_assert_str_eq(dmesg(), "hello\n");
    ck_assert_uint_eq(console_len, 0);
    /* Upper bits of count are not part of the 32-bit argument; a line
     * waits for its newline. */
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write,
                          (1ULL << 32) | 2, 0x1000),
                     0);
    ck_assert_str_eq(dmesg(), "hello\n");
    memcpy(d->ram.host + 0x1000, "\tx\a\x80y\n", 6);
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 6, 0x1000),
                     0);
    /* Non-printable bytes are dropped, tabs kept (Xen's rule). */
    ck_assert_str_eq(dmesg(), "hello\nhe\txy\n");
    /* 3000 bytes across pages: lines of at most 255 characters. */
    for (i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    memcpy(d->ram.host + 0x1f00, text, sizeof(text));
    ck_assert_int_eq(
        call(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(text), 0x1f00),
        0);
    ck_assert_uint_eq(strlen(dmesg()), 12 + 11 * 256);
    ck_assert_mem_eq(dmesg() + 12, text, 255);
    ck_assert_int_eq(dmesg()[12 + 255], '\n');
    ck_assert_mem_eq(dmesg() + 12 + 256, text + 255, 255);
    /* The rest (3000 - 11 * 255 bytes) waits; the domain's end ends it. */
    console_log_flush(d);
    ck_assert_mem_eq(dmesg() + 12 + 11 * 256, text + 11 * 255,
                     sizeof(text) - 11 * 255);
    ck_assert_uint_eq(d->console_log.bytes, 6 + 2 + 6 + sizeof(text));
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 0, BAD_VA),
                     0);
    ck_assert_uint_eq(console_len, 0);
}
END_TEST

/* What is kept is bounded: the last 16 KiB, whole lines. */
START_TEST(test_console_log_keep)
{
    char line[100], buf[64];
    size_t n;

    memset(line, 'k', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    for (unsigned int i = 0; i < 1000; i++) {
        line[0] = (char)('0' + i % 10);
        console_log_write(d, line, sizeof(line));
    }
    n = console_log_read(d, buf, sizeof(buf));
    /* 100 000 bytes written, 16384 kept: the newest lines, whole. */
    ck_assert_uint_le(n, CONSOLE_LOG_KEEP);
    ck_assert_uint_gt(n, CONSOLE_LOG_KEEP - sizeof(line));
    ck_assert_uint_eq(n % sizeof(line), 0);
    ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
    ck_assert_int_eq(buf[0], '0' + (1000 - n / sizeof(line)) % 10);
    ck_assert_int_eq(buf[1], 'k');
    ck_assert_uint_eq(console_log_read(d, NULL, 0), n);
}
END_TEST

START_TEST(test_paging)
{
    paging_on();
    memcpy(d->ram.host + 0x201000, "paged\n", 6);
    ck_assert_int_eq(
        call(__HYPERVISOR_console_io, CONSOLEIO_write, 6, 0x201000), 0);
    ck_assert_str_eq(dmesg(), "paged\n");
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 5,
                          0x0000800000000000ULL),
                     -XEN_EFAULT);
    /* Output into the read-only 2 MiB page faults while CR0.WP is set. */
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x200000, 0),
        -XEN_EFAULT);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x100000, 0), 0);
    ck_assert_str_eq((const char *)d->ram.host + 0x100000,
                     PVHV_XEN_EXTRAVERSION);
}
END_TEST

START_TEST(test_console_errors)
{
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_write, 16, BAD_VA),
                     -XEN_EFAULT);
    ck_assert_uint_eq(d->console_log.bytes, 0);
    /* A buffer running off the end of RAM: the first chunk still goes. */
    ck_assert_int_eq(
        call(__HYPERVISOR_console_io, CONSOLEIO_write, 2048, RAM_SIZE - 1024),
        -XEN_EFAULT);
    ck_assert_uint_eq(d->console_log.bytes, 1024);
    ck_assert_int_eq(
        call(__HYPERVISOR_console_io, CONSOLEIO_write, 16, UINT64_MAX - 4),
        -XEN_EFAULT);
    ck_assert_int_eq(call(__HYPERVISOR_console_io, CONSOLEIO_read, 16, 0x1000),
                     -XEN_ENOSYS);
    ck_assert_int_eq(call(__HYPERVISOR_console_io, 99, 16, 0x1000),
                     -XEN_ENOSYS);
}
END_TEST

#define SLICE (64 * 1024) /* console_io.c CONSOLE_IO_SLICE */

START_TEST(test_continuation_args)
{
    uint64_t arg[5] = {CONSOLEIO_write, 200 * 1024, 0x100000, 7, 8};

    /* 200 KiB: three slices continue, the fourth (8 KiB) ends the call. */
    for (unsigned int i = 1; i <= 3; i++) {
        ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg),
                         HYPERCALL_CONTINUE);
        ck_assert_uint_eq(arg[0], CONSOLEIO_write);
        ck_assert_uint_eq(arg[1], 200 * 1024 - i * SLICE);
        ck_assert_uint_eq(arg[2], 0x100000 + i * SLICE);
        if (i < 3) /* within the console's burst of 128 KiB */
            ck_assert_uint_eq(d->console_log.bytes, i * SLICE);
    }
    ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg), 0);
    /* A call that ends leaves the arguments as they were. */
    ck_assert_uint_eq(arg[1], 200 * 1024 - 3 * SLICE);
    ck_assert_uint_eq(arg[2], 0x100000 + 3 * SLICE);
    /* The burst, and what the bucket regained meanwhile (32 B/ms). */
    ck_assert_uint_ge(d->console_log.bytes, CONSOLE_BURST);
    ck_assert_uint_le(d->console_log.bytes, CONSOLE_BURST + 8 * 1024);
    ck_assert_uint_eq(domain_console_dropped(d),
                      200 * 1024 - d->console_log.bytes);
    ck_assert_uint_eq(d->hypercall_count[__HYPERVISOR_console_io], 4);

    /* Exactly one slice: no continuation. The count's upper half is
     * ignored, and not carried into a continuation either. */
    arg[1] = SLICE;
    ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg), 0);
    arg[1] = (1ULL << 32) | (SLICE + 1);
    arg[2] = 0x100000;
    ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg),
                     HYPERCALL_CONTINUE);
    ck_assert_uint_eq(arg[1], 1);
    ck_assert_uint_eq(arg[2], 0x100000 + SLICE);
}
END_TEST

START_TEST(test_continuation_efault)
{
    /* 100 KiB of RAM left: one slice, then -EFAULT in the continuation. */
    uint64_t arg[5] = {CONSOLEIO_write, 200 * 1024, RAM_SIZE - 100 * 1024};

    ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg),
                     HYPERCALL_CONTINUE);
    ck_assert_uint_eq(arg[2], RAM_SIZE - 100 * 1024 + SLICE);
    ck_assert_int_eq(hypercall_dispatch(v, __HYPERVISOR_console_io, arg),
                     -XEN_EFAULT);
    ck_assert_uint_eq(d->console_log.bytes, 100 * 1024);
}
END_TEST

START_TEST(test_hypercall_continue)
{
    const uint64_t next[5] = {1, 2, 3, 4, 5};

    ck_assert_int_eq(hypercall_continue(v, next), HYPERCALL_CONTINUE);
    ck_assert_mem_eq(v->hypercall_next, next, sizeof(next));
    /* Never a result a guest could be given: not a Xen errno we use. */
    ck_assert_int_lt(HYPERCALL_CONTINUE, 0);
    ck_assert_int_ne(HYPERCALL_CONTINUE, -XEN_EFAULT);
    ck_assert_int_ne(HYPERCALL_CONTINUE, -XEN_ENOSYS);
}
END_TEST

static const char *ram_str(uint64_t gpa)
{
    return (const char *)d->ram.host + gpa;
}

START_TEST(test_xen_version)
{
    const struct xen_compile_info *ci;
    struct xen_feature_info fi = {.submap_idx = 0, .submap = 0xffffffff};

    ck_assert_int_eq(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0),
                     (4 << 16) | 17);
    memset(d->ram.host + 0x1000, 0xff, 2048);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x1000, 0), 0);
    ck_assert_str_eq(ram_str(0x1000), PVHV_XEN_EXTRAVERSION);
    ck_assert_uint_eq(d->ram.host[0x1000 + 15], 0);
    ck_assert_uint_eq(d->ram.host[0x1000 + 16], 0xff);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_capabilities, 0x1000, 0), 0);
    ck_assert_str_eq(ram_str(0x1000),
                     "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64");
    ck_assert_uint_eq(d->ram.host[0x1000 + 1023], 0);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_changeset, 0x1000, 0), 0);
    ck_assert_str_eq(ram_str(0x1000), "pvhv ABI 1");
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_compile_info, 0x1000, 0), 0);
    ci = (const void *)(d->ram.host + 0x1000);
    ck_assert(strncmp(ci->compiler, "gcc ", 4) == 0);
    ck_assert_str_eq(ci->compile_by, "pvhv");
    memset(d->ram.host + 0x1000, 0xff, 8);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_platform_parameters, 0x1000, 0),
        0);
    ck_assert_uint_eq(*(const uint64_t *)(d->ram.host + 0x1000), 0);
    memcpy(d->ram.host + 0x1000, &fi, sizeof(fi));
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_get_features, 0x1000, 0), 0);
    memcpy(&fi, d->ram.host + 0x1000, sizeof(fi));
    ck_assert_uint_eq(fi.submap, (1u << XENFEAT_writable_page_tables) |
                                     (1u << XENFEAT_auto_translated_physmap) |
                                     (1u << XENFEAT_hvm_callback_vector) |
                                     (1u << XENFEAT_hvm_safe_pvclock) |
                                     (1u << XENFEAT_not_direct_mapped));
    fi = (struct xen_feature_info){.submap_idx = 1, .submap = 7};
    memcpy(d->ram.host + 0x1000, &fi, sizeof(fi));
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_get_features, 0x1000, 0), 0);
    memcpy(&fi, d->ram.host + 0x1000, sizeof(fi));
    ck_assert_uint_eq(fi.submap_idx, 1);
    ck_assert_uint_eq(fi.submap, 0);
    ck_assert_int_eq(call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0),
                     4096);
}
END_TEST

START_TEST(test_xen_version_errors)
{
    static const unsigned int out_cmds[] = {
        XENVER_extraversion, XENVER_compile_info,        XENVER_capabilities,
        XENVER_changeset,    XENVER_platform_parameters, XENVER_get_features,
    };
    unsigned int i;

    for (i = 0; i < sizeof(out_cmds) / sizeof(out_cmds[0]); i++) {
        ck_assert_int_eq(call(__HYPERVISOR_xen_version, out_cmds[i], BAD_VA, 0),
                         -XEN_EFAULT);
        ck_assert_int_eq(
            call(__HYPERVISOR_xen_version, out_cmds[i], RAM_SIZE - 4, 0),
            -XEN_EFAULT);
    }
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_guest_handle, 0x1000, 0),
        -XEN_ENOSYS);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_commandline, 0x1000, 0),
        -XEN_ENOSYS);
    ck_assert_int_eq(call(__HYPERVISOR_xen_version, XENVER_build_id, 0x1000, 0),
                     -XEN_ENOSYS);
    ck_assert_int_eq(call(__HYPERVISOR_xen_version, 1000, 0x1000, 0),
                     -XEN_ENOSYS);
}
END_TEST

static long shutdown_with(uint32_t reason)
{
    struct sched_shutdown op = {.reason = reason};

    memcpy(d->ram.host + 0x1000, &op, sizeof(op));
    return call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x1000, 0);
}

START_TEST(test_sched_shutdown)
{
    /*
     * SHUTDOWN_crash is left out: domain_shutdown then reads the vCPU's
     * registers from the platform, which this fake vCPU does not have.
     */
    static const struct {
        uint32_t reason;
        enum pvhv_end end;
    } cases[] = {
        {SHUTDOWN_poweroff, PVHV_END_POWEROFF},
        {SHUTDOWN_reboot, PVHV_END_REBOOT},
        {SHUTDOWN_suspend, PVHV_END_SUSPEND},
        {SHUTDOWN_watchdog, PVHV_END_WATCHDOG},
        {SHUTDOWN_soft_reset, PVHV_END_SOFT_RESET},
    };
    unsigned int i = (unsigned int)_i;

    ck_assert_int_eq(shutdown_with(cases[i].reason), 0);
    ck_assert(domain_is_stopped(d));
    ck_assert_int_eq(d->result.end, cases[i].end);
}
END_TEST

START_TEST(test_sched_errors)
{
    ck_assert_int_eq(shutdown_with(SHUTDOWN_MAX + 1), -XEN_EINVAL);
    ck_assert_int_eq(shutdown_with(UINT32_MAX), -XEN_EINVAL);
    ck_assert(!domain_is_stopped(d));
    ck_assert_int_eq(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, BAD_VA, 0),
                     -XEN_EFAULT);
    ck_assert_int_eq(
        call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, RAM_SIZE - 2, 0),
        -XEN_EFAULT);
    ck_assert(!domain_is_stopped(d));
    ck_assert_int_eq(call(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
    /* block and poll: tests/unit/check_event_channel.c */
    ck_assert_int_eq(call(__HYPERVISOR_sched_op, SCHEDOP_poll, BAD_VA, 0),
                     -XEN_EFAULT);
    ck_assert_int_eq(call(__HYPERVISOR_sched_op, 99, 0, 0), -XEN_ENOSYS);
    ck_assert(!domain_is_stopped(d));
}
END_TEST

static Suite *hypercall_suite(void)
{
    Suite *s = suite_create("hypercall");
    TCase *table = tcase_create("table");
    TCase *handlers = tcase_create("handlers");

    tcase_add_checked_fixture(table, setup, teardown);
    tcase_add_test(table, test_table);
    tcase_add_test(table, test_dispatch_errors);
    tcase_add_test(table, test_counters);
    suite_add_tcase(s, table);
    tcase_add_checked_fixture(handlers, setup, teardown);
    tcase_add_test(handlers, test_console_write);
    tcase_add_test(handlers, test_console_log_keep);
    tcase_add_test(handlers, test_paging);
    tcase_add_test(handlers, test_console_errors);
    tcase_add_test(handlers, test_continuation_args);
    tcase_add_test(handlers, test_continuation_efault);
    tcase_add_test(handlers, test_hypercall_continue);
    tcase_add_test(handlers, test_xen_version);
    tcase_add_test(handlers, test_xen_version_errors);
    tcase_add_loop_test(handlers, test_sched_shutdown, 0, 5);
    tcase_add_test(handlers, test_sched_errors);
    suite_add_tcase(s, handlers);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hypercall_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
