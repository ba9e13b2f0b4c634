/* SPDX-License-Identifier: MIT */
/* check_exits.c: what core does with each exit, and asks before entry. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/exits.h"
#include "domain_fixture.h"
#include "platform/kvm/kvm.h"
#include "pvabi/errno.h"
#include "pvabi/pvhv.h"
#include "pvabi/version.h"

#define RAM_SIZE (1ULL << 20)

static struct domain *d;
static struct vcpu *v;

/* A domain of 1 MiB and one vCPU, built (domain_build), then running. */
static void setup(void)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, RAM_SIZE);
    d = fixture_domain(&cfg, 5);
    v = &d->vcpus[0];
    atomic_store(&d->state, DOMAIN_RUNNING);
}

static void teardown(void)
{
    fixture_destroy(d);
}

START_TEST(test_may_enter)
{
    ck_assert(exit_may_enter(v));
    ck_assert(!exit_domain_stopped(v));
    /* Down and stopped: no wait, the loop ends. */
    atomic_store(&v->up, false);
    domain_crash(d, NULL, "test");
    ck_assert(exit_domain_stopped(v));
    ck_assert(!exit_may_enter(v));
}
END_TEST

START_TEST(test_upcall_vector)
{
    struct vcpu_info vi;

    memset(&vi, 0, sizeof(vi));
    ck_assert_uint_eq(exit_upcall_vector(v), 0); /* no callback vector */
    d->callback_vector = 0xf3;
    ck_assert_uint_eq(exit_upcall_vector(v), 0); /* no vcpu_info yet */
    v->vcpu_info = &vi;
    ck_assert_uint_eq(exit_upcall_vector(v), 0); /* nothing pending */
    vi.evtchn_upcall_pending = 1;
    ck_assert_uint_eq(exit_upcall_vector(v), 0xf3);
    d->callback_vector = 0;
    ck_assert_uint_eq(exit_upcall_vector(v), 0);
}
END_TEST

START_TEST(test_hypercall_msr)
{
    const uint8_t *stub = d->ram.host + 0x5000 + 18 * XEN_HYPERCALL_STUB_SIZE;

    /* Only the hypercall MSR; its page index must be 0; the page in RAM. */
    ck_assert(!exit_msr_write(v, PVHV_HYPERCALL_MSR + 1, 0x5000));
    ck_assert(!exit_msr_write(v, PVHV_HYPERCALL_MSR, 0x5001));
    ck_assert(!exit_msr_write(v, PVHV_HYPERCALL_MSR, RAM_SIZE));
    ck_assert_uint_eq(stub[0], 0);
    ck_assert(exit_msr_write(v, PVHV_HYPERCALL_MSR, 0x5000));
    ck_assert_uint_eq(stub[0], 0xb8); /* mov $18, %eax */
    ck_assert_uint_eq(stub[1], 18);
    ck_assert_uint_eq(d->exits, 4);
    ck_assert_uint_eq(d->exits_io, 0);
}
END_TEST

START_TEST(test_halt_interrupts_off)
{
    exit_interrupt_window(v);
    exit_halt(v, false);
    ck_assert(domain_is_stopped(d));
    ck_assert_int_eq(d->result.end, PVHV_END_CRASH);
    ck_assert_str_eq(d->result.reason,
                     "vCPU 0 halted with interrupts disabled");
    ck_assert_uint_eq(d->exits, 2);
}
END_TEST

START_TEST(test_fatal)
{
    exit_fatal(v, "triple fault on vCPU %u", v->id);
    ck_assert(domain_is_stopped(d));
    ck_assert_str_eq(d->result.reason, "triple fault on vCPU 0");
    ck_assert_uint_eq(d->exits, 1);
    /* The first stop wins; a failed entry is no exit. */
    exit_run_failed(v, "vCPU %u: KVM_RUN failed", v->id);
    ck_assert_str_eq(d->result.reason, "triple fault on vCPU 0");
    ck_assert_uint_eq(d->exits, 1);
}
END_TEST

START_TEST(test_run_failed)
{
    exit_run_failed(v, "vCPU %u: KVM_RUN failed: %s", v->id, "Bad address");
    ck_assert_str_eq(d->result.reason, "vCPU 0: KVM_RUN failed: Bad address");
    ck_assert_uint_eq(d->exits, 0);
}
END_TEST

/* A VMCALL hypercall, as KVM passes it (KVM_EXIT_XEN), into the table. */
static struct kvm_xen_exit hcall(bool longmode, unsigned int cpl, uint64_t nr,
                                 uint64_t a0)
{
    struct kvm_xen_exit x = {.type = KVM_EXIT_XEN_HCALL};

    x.u.hcall.longmode = longmode;
    x.u.hcall.cpl = cpl;
    x.u.hcall.input = nr;
    x.u.hcall.params[0] = a0;
    x.u.hcall.result = 0xdeadbeef;
    return x;
}

START_TEST(test_xen_exit)
{
    const struct kvm_sregs s = {.cr0 = 0x11};
    struct kvm_xen_exit x =
        hcall(true, 0, __HYPERVISOR_xen_version, XENVER_version);

    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result,
                      (PVHV_XEN_MAJOR << 16) | PVHV_XEN_MINOR);
    ck_assert_uint_eq(d->hypercall_count[__HYPERVISOR_xen_version], 1);
    ck_assert_uint_eq(v->ctx.paging.cr0, 0x11);
    ck_assert(!v->ctx.compat);
    /* Errors come back sign-extended in 64-bit mode. */
    x = hcall(true, 0, 99, 0);
    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result, (uint64_t)(int64_t)-XEN_ENOSYS);
    x = hcall(true, 0, 1000, 0);
    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result, (uint64_t)(int64_t)-XEN_ENOSYS);
    /* User mode: refused as Xen does. */
    x = hcall(true, 3, __HYPERVISOR_xen_version, XENVER_version);
    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result, (uint64_t)(int64_t)-XEN_EPERM);
    /* 32-bit: arguments and result are 32 bits; the caller is compat. */
    x = hcall(false, 0, __HYPERVISOR_xen_version,
              0xffffffff00000000ULL | XENVER_pagesize);
    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result, XEN_PAGE_SIZE);
    ck_assert(v->ctx.compat);
    x = hcall(false, 0, 99, 0);
    ck_assert(kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(x.u.hcall.result, (uint32_t)-XEN_ENOSYS);
    /* Another exit type: not ours to serve. */
    x.type = 2;
    ck_assert(!kvm_xen_hcall_exit(v, &x, &s));
    ck_assert_uint_eq(d->exits, 6);
}
END_TEST

START_TEST(test_exit_hypercall)
{
    uint64_t arg[5] = {XENVER_pagesize, 0, 0, 0, 0};

    ck_assert_int_eq(exit_hypercall(v, __HYPERVISOR_xen_version, arg),
                     XEN_PAGE_SIZE);
    ck_assert_int_eq(exit_hypercall(v, XEN_HYPERCALL_MAX, arg), -XEN_ENOSYS);
    ck_assert_uint_eq(d->exits, 2);
    ck_assert_uint_eq(d->hypercalls, 2);
}
END_TEST

static Suite *exits_suite(void)
{
    Suite *s = suite_create("exits");
    TCase *tc = tcase_create("exits");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_may_enter);
    tcase_add_test(tc, test_upcall_vector);
    tcase_add_test(tc, test_hypercall_msr);
    tcase_add_test(tc, test_xen_exit);
    tcase_add_test(tc, test_exit_hypercall);
    tcase_add_test(tc, test_halt_interrupts_off);
    tcase_add_test(tc, test_fatal);
    tcase_add_test(tc, test_run_failed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(exits_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
