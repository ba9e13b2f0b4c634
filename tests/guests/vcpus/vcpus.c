/* SPDX-License-Identifier: MIT */
/* vcpus.c: vCPU 1 comes up, runs our function, goes down again. */

#include "../testguest.h"

static volatile unsigned long counter;
static volatile int ran, release;
static volatile unsigned int seen_id;

static void on_vcpu1(void *arg)
{
    seen_id = pvguest_vcpu_id();
    __atomic_fetch_add(&counter, (unsigned long)(uintptr_t)arg,
                       __ATOMIC_SEQ_CST);
    __atomic_store_n(&ran, 1, __ATOMIC_SEQ_CST);
    /* Stay up until vCPU 0 has seen us up. */
    while (!__atomic_load_n(&release, __ATOMIC_SEQ_CST))
        __asm__ volatile("pause");
}

/* Spins (sleeping 1 ms between looks) until (*flag) or 2 s passed. */
static int wait_flag(volatile int *flag)
{
    uint64_t end = monotonic_ns() + 2 * NSEC_PER_SEC;

    while (!__atomic_load_n(flag, __ATOMIC_SEQ_CST)) {
        if (monotonic_ns() >= end)
            return 0;
        sleep_ns(NSEC_PER_MSEC);
    }
    return 1;
}

static int wait_down(unsigned int id)
{
    uint64_t end = monotonic_ns() + 2 * NSEC_PER_SEC;
    int up;

    while ((up = pvguest_vcpu_is_up(id)) == 1 && monotonic_ns() < end)
        sleep_ns(NSEC_PER_MSEC);
    return up;
}

int main(void)
{
    check_result("is_up(1) before", pvguest_vcpu_is_up(1), 0);
    check_result("vcpu_up(0)", pvguest_vcpu_up(0, on_vcpu1, NULL), -XEN_EINVAL);
    check_result("vcpu_up(1)", pvguest_vcpu_up(1, on_vcpu1, (void *)1), 0);
    if (!wait_flag(&ran))
        test_abort("vCPU 1 did not run its function within 2 s");
    check_result("counter", counter, 1);
    check_result("vCPU id seen by vCPU 1", seen_id, 1);
    check_result("is_up(1) while it runs", pvguest_vcpu_is_up(1), 1);
    check_result("vcpu_up(1) while it runs",
                 pvguest_vcpu_up(1, on_vcpu1, (void *)1), -XEN_EBUSY);
    __atomic_store_n(&release, 1, __ATOMIC_SEQ_CST);
    check_result("is_up(1) after it returned", wait_down(1), 0);

    /* Again: a downed vCPU can be brought up once more. */
    ran = 0;
    check_result("vcpu_up(1) again", pvguest_vcpu_up(1, on_vcpu1, (void *)10),
                 0);
    if (!wait_flag(&ran))
        test_abort("vCPU 1 did not run again within 2 s");
    check_result("counter", counter, 11);
    check_result("is_up(1) after the second run", wait_down(1), 0);
    puts("SUCCESS");
    return 0;
}
