/* SPDX-License-Identifier: MIT */
/* check_hypercall_page.c: the stubs, and finding one again to continue. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "domain_fixture.h"
#include "platform/kvm/kvm.h"
#include "pvabi/xen.h"

#define RAM_SIZE (1ULL << 20)
#define PAGE 0x5000ULL /* the guest's hypercall page (paging off) */
#define STUB(nr) (PAGE + (nr)*XEN_HYPERCALL_STUB_SIZE)

static struct domain *d;
static struct vcpu *v;

/* A domain of 1 MiB built (domain_build), its hypercall page at PAGE. */
static void setup(void)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, RAM_SIZE);
    d = fixture_domain(&cfg, 1);
    v = &d->vcpus[0];
    ck_assert_int_eq(kvm_hypercall_stubs(&d->ram, PAGE), 0);
}

static void teardown(void)
{
    fixture_destroy(d);
}

START_TEST(test_stub_bytes)
{
    static const uint8_t want[8] = {0xb8, 18, 0, 0, 0, 0xe7, 0x9e, 0xc3};
    const uint8_t *iret = d->ram.host + STUB(__HYPERVISOR_iret);

    ck_assert_mem_eq(d->ram.host + STUB(__HYPERVISOR_console_io), want, 8);
    ck_assert(iret[0] == 0x0f && iret[1] == 0x0b); /* ud2 */
    ck_assert_int_eq(kvm_hypercall_stubs(&d->ram, RAM_SIZE), -1);
}
END_TEST

START_TEST(test_stub_found)
{
    uint64_t start = 0;

    /* Emulated exits: rip after the `out`, at the `ret` (offset 7). */
    ck_assert_int_eq(
        kvm_hypercall_stub_at(&d->ram, v, STUB(18) + 7, 18, &start), 0);
    ck_assert_uint_eq(start, STUB(18));
    /* Hardware exits: rip still at the `out` (offset 5). */
    start = 0;
    ck_assert_int_eq(
        kvm_hypercall_stub_at(&d->ram, v, STUB(18) + 5, 18, &start), 0);
    ck_assert_uint_eq(start, STUB(18));
    ck_assert_int_eq(kvm_hypercall_stub_at(&d->ram, v, STUB(0) + 7, 0, &start),
                     0);
    ck_assert_uint_eq(start, STUB(0));
}
END_TEST

START_TEST(test_stub_not_found)
{
    uint64_t start = 42;

    /* Another hypercall's stub, or no stub: the call is not restarted. */
    ck_assert_int_eq(
        kvm_hypercall_stub_at(&d->ram, v, STUB(18) + 7, 17, &start), -1);
    ck_assert_int_eq(
        kvm_hypercall_stub_at(&d->ram, v, STUB(18) + 6, 18, &start), -1);
    ck_assert_int_eq(kvm_hypercall_stub_at(&d->ram, v, 0x100, 18, &start), -1);
    ck_assert_int_eq(kvm_hypercall_stub_at(&d->ram, v, 3, 18, &start), -1);
    ck_assert_int_eq(
        kvm_hypercall_stub_at(&d->ram, v, RAM_SIZE + 7, 18, &start), -1);
    ck_assert_int_eq(kvm_hypercall_stub_at(&d->ram, v, UINT64_MAX, 18, &start),
                     -1);
    /* The same bytes elsewhere (a copy of the stub) restart just as well. */
    memcpy(d->ram.host + 0x9000, d->ram.host + STUB(18), 8);
    ck_assert_int_eq(kvm_hypercall_stub_at(&d->ram, v, 0x9007, 18, &start), 0);
    ck_assert_uint_eq(start, 0x9000);
}
END_TEST

static Suite *hypercall_page_suite(void)
{
    Suite *s = suite_create("hypercall_page");
    TCase *tc = tcase_create("stubs");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_stub_bytes);
    tcase_add_test(tc, test_stub_found);
    tcase_add_test(tc, test_stub_not_found);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hypercall_page_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
