/* SPDX-License-Identifier: MIT */
/* check_native.c: the native-mode self-test's verdict on crafted results. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/kvm/kvm.h"
#include "platform/kvm/native.h"
#include "pvabi/cpuid.h"

/* What a host whose native mode works shows: every phase as expected. */
static struct native_probe good(void)
{
    struct native_probe o = {
        .started = true,
        .cpuid_done = true,
        .cpuid_ebx = XEN_CPUID_SIGNATURE_EBX,
        .cpuid_ecx = XEN_CPUID_SIGNATURE_ECX,
        .cpuid_edx = XEN_CPUID_SIGNATURE_EDX,
        .loop_done = true,
        .loop_counted = true,
        .loop_emulated = 1, /* the exit itself */
        .fault_done = true,
        .fault_vector = 14,
        .fault_error = NATIVE_PROBE_FAULT_ERROR,
        .fault_cr2 = NATIVE_PROBE_FAULT_ADDR,
        .ns = 1500000,
    };
    return o;
}

static void expect_unusable(const struct native_probe *o, const char *why)
{
    char got[256] = "";
    ck_assert(!native_verdict(o, got, sizeof(got)));
    ck_assert_str_eq(got, why);
}

START_TEST(test_all_phases_as_expected_is_usable)
{
    struct native_probe o = good();
    char why[256] = "untouched";
    ck_assert(native_verdict(&o, why, sizeof(why)));
    ck_assert_str_eq(why, "untouched");
}
END_TEST

START_TEST(test_no_native_mode)
{
    struct native_probe o = {.started = false};
    snprintf(o.setup, sizeof(o.setup),
             "the host's KVM has no native execution mode");
    expect_unusable(&o, "the host's KVM has no native execution mode");
}
END_TEST

/* The host build 6.18.44-fc-v669: CPUID runs on the host CPU. */
START_TEST(test_cpuid_from_the_host)
{
    struct native_probe o = good();
    o.cpuid_ebx = 0x4b4d564b; /* "KVMKVMKVM" */
    o.cpuid_ecx = 0x564b4d56;
    o.cpuid_edx = 0x4d;
    expect_unusable(&o, "guest CPUID does not trap");
    o = good();
    o.cpuid_edx ^= 1; /* one register off is enough */
    expect_unusable(&o, "guest CPUID does not trap");
}
END_TEST

START_TEST(test_loop_emulated)
{
    struct native_probe o = good();
    o.loop_emulated = 514;
    expect_unusable(&o, "guest instructions still run emulated (514 of a "
                        "256-iteration loop)");
    o.loop_emulated = NATIVE_PROBE_LOOP - 1;
    ck_assert(native_verdict(&o, NULL, 0));
}
END_TEST

START_TEST(test_loop_not_counted)
{
    struct native_probe o = good();
    o.loop_counted = false;
    expect_unusable(&o, "the host does not count emulated instructions (no "
                        "insn_emulation statistic), so native execution "
                        "cannot be proven");
}
END_TEST

/* The host build 6.18.44-fc-v857: guest exceptions were triple faults. */
START_TEST(test_fault_as_triple_fault)
{
    struct native_probe o = good();
    o.fault_done = false;
    snprintf(o.end, sizeof(o.end), "a triple fault (KVM exit 8)");
    expect_unusable(&o, "a guest page fault ended as a triple fault (KVM exit "
                        "8), not in the guest's handler");
}
END_TEST

START_TEST(test_fault_wrong_vector_error_or_cr2)
{
    const char *why = "a guest page fault arrived as vector %u, error code "
                      "0x%llx, cr2 0x%llx (the architecture says 14, 0x2, "
                      "0x400000000)";
    char want[256];
    struct native_probe o = good();
    o.fault_vector = 13;
    snprintf(want, sizeof(want), why, 13, 2ULL, 0x400000000ULL);
    expect_unusable(&o, want);
    o = good();
    o.fault_error = 0x6;
    snprintf(want, sizeof(want), why, 14, 6ULL, 0x400000000ULL);
    expect_unusable(&o, want);
    o = good();
    o.fault_cr2 = 0;
    snprintf(want, sizeof(want), why, 14, 2ULL, 0ULL);
    expect_unusable(&o, want);
}
END_TEST

START_TEST(test_stopped_early)
{
    struct native_probe o = good();
    o.cpuid_done = false;
    snprintf(o.end, sizeof(o.end), "no exit within a second");
    expect_unusable(&o, "the probe guest stopped before CPUID: no exit "
                        "within a second");
    o = good();
    o.loop_done = false;
    snprintf(o.end, sizeof(o.end), "no exit within a second");
    expect_unusable(&o, "the probe guest stopped in its loop: no exit "
                        "within a second");
    o.end[0] = '\0';
    expect_unusable(&o, "the probe guest stopped in its loop: no reason "
                        "recorded");
}
END_TEST

/* A platform without /dev/kvm: enough for the cached verdict. */
static struct kvm_platform *fake_platform(void)
{
    struct kvm_platform *p = calloc(1, sizeof(*p));
    ck_assert_ptr_nonnull(p);
    p->kvm_fd = -1;
    pthread_mutex_init(&p->native_lock, NULL);
    return p;
}

/* Forced either way, the verdict is kept per instance, with its reason. */
START_TEST(test_injected_verdict_is_kept_per_instance)
{
    struct kvm_platform *a = fake_platform(), *b = fake_platform();
    struct native_probe ok = good(), bad = good();
    char why[256] = "";
    uint64_t ns = 0;

    bad.cpuid_ebx = 0;
    native_inject(a, &ok);
    native_inject(b, &bad);
    ck_assert(kvm_native_usable(a, why, sizeof(why), &ns));
    ck_assert_uint_eq(ns, 1500000);
    ck_assert(!kvm_native_usable(b, why, sizeof(why), NULL));
    ck_assert_str_eq(why, "guest CPUID does not trap");
    ck_assert(kvm_native_usable(a, NULL, 0, NULL));
    native_inject(a, &bad);
    ck_assert(!kvm_native_usable(a, NULL, 0, NULL));
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("native");
    TCase *tc = tcase_create("verdict");
    tcase_add_test(tc, test_all_phases_as_expected_is_usable);
    tcase_add_test(tc, test_no_native_mode);
    tcase_add_test(tc, test_cpuid_from_the_host);
    tcase_add_test(tc, test_loop_emulated);
    tcase_add_test(tc, test_loop_not_counted);
    tcase_add_test(tc, test_fault_as_triple_fault);
    tcase_add_test(tc, test_fault_wrong_vector_error_or_cr2);
    tcase_add_test(tc, test_stopped_early);
    tcase_add_test(tc, test_injected_verdict_is_kept_per_instance);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
