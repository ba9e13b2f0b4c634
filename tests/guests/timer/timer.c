/* SPDX-License-Identifier: MIT */
/* timer.c: sleep_ns never sleeps short, one-shot timers, the wall clock. */

#include "../testguest.h"

/* 2020-01-01T00:00:00Z */
#define EPOCH_2020 1577836800ULL

static void sleeps(void)
{
    static const uint64_t ms[] = {1, 5, 20};
    uint64_t t0, t1;
    unsigned int i;

    for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
        t0 = monotonic_ns();
        sleep_ns(ms[i] * NSEC_PER_MSEC);
        t1 = monotonic_ns();
        if (t1 - t0 < ms[i] * NSEC_PER_MSEC)
            test_abort("sleep_ns(%lu ms) slept %lu ns", (unsigned long)ms[i],
                       (unsigned long)(t1 - t0));
        printf("ok: sleep_ns(%lu ms) slept %lu us\n", (unsigned long)ms[i],
               (unsigned long)((t1 - t0) / NSEC_PER_USEC));
    }
}

static int fired(void *arg)
{
    return pvg_evtchn_count(timer_port()) > *(unsigned long *)arg;
}

static void singleshot(void)
{
    struct vcpu_set_singleshot_timer st;
    unsigned long before = pvg_evtchn_count(timer_port());
    uint64_t now = monotonic_ns();
    int rc;

    st.timeout_abs_ns = now > NSEC_PER_MSEC ? now - NSEC_PER_MSEC : 1;
    st.flags = VCPU_SSHOTTMR_future;
    check_result("set_singleshot_timer(past, VCPU_SSHOTTMR_future)",
                 HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st),
                 -XEN_ETIME);

    st.timeout_abs_ns = monotonic_ns() + 2 * NSEC_PER_MSEC;
    st.flags = 0;
    check_result("set_singleshot_timer(now + 2 ms)",
                 HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
    rc = wait_until(fired, &before, monotonic_ns() + NSEC_PER_SEC);
    if (rc < 0)
        test_abort("VIRQ_TIMER did not fire within 1 s of a 2 ms timer");
    if (monotonic_ns() < st.timeout_abs_ns)
        test_abort("VIRQ_TIMER fired before its deadline");
    printf("ok: VIRQ_TIMER fired on port %u\n", timer_port());

    check_result("timer_set(0) (cancel)", timer_set(0), 0);
}

static void clocks(void)
{
    uint64_t a = monotonic_ns(), b, sec;
    uint32_t nsec;

    if (a == 0)
        test_abort("monotonic_ns() is 0");
    b = monotonic_ns();
    if (b < a)
        test_abort("monotonic_ns() went back: %lu then %lu", (unsigned long)a,
                   (unsigned long)b);
    wallclock(&sec, &nsec);
    if (sec < EPOCH_2020 || nsec >= NSEC_PER_SEC)
        test_abort("wallclock() = %lu.%09u: before 2020 or bad nsec",
                   (unsigned long)sec, nsec);
    printf("ok: wallclock %lu.%09u, system time %lu ns\n", (unsigned long)sec,
           nsec, (unsigned long)b);
}

int main(void)
{
    clocks();
    sleeps();
    singleshot();
    puts("SUCCESS");
    return 0;
}
