/* SPDX-License-Identifier: MIT */
/*
 * check_lifecycle.c: what the toolstack's lifecycle asks of libpvhv, with
 * real guests in real KVM domains: pause (vCPUs stop, the guest's time
 * stands still), xl's states, kept console output with several readers
 * and its eventfd, console input (PV ring and an hvm domain's UART), the
 * domain's log, vCPU time.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvhv.h"

static struct pvhv *hv;

static const char *guest(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s/%s.elf", getenv("GUESTS"), name, name);
    return path;
}

/* make: (name)'s guest, created with kept output and log, not started. */
static struct domain *make(const char *name, const char *cmdline)
{
    const char *kernel = guest(name);
    int fd = open(kernel, O_RDONLY | O_CLOEXEC);
    struct pvhv_domain_config cfg = {
        .name = name,
        .memory = 4 << 20,
        .vcpus = 1,
        .kernel = pvhv_file_fd(fd, kernel),
        .cmdline = cmdline,
        .console_buffer = 16384,
        .log_buffer = 4096,
    };
    struct pvhv_error err = {""};
    struct domain *d = NULL;

    ck_assert_msg(fd >= 0, "%s: %s", kernel, strerror(errno));
    ck_assert_msg(pvhv_domain_create(hv, &cfg, &d, &err) == 0, "%s", err.msg);
    close(fd);
    return d;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* out: what (d) printed so far, read from position (*pos) on. */
static char out[16384];
static size_t out_len;

static void collect(struct domain *d, uint64_t *pos)
{
    size_t n;

    while ((n = pvhv_console_read(d, pos, out + out_len,
                                  sizeof(out) - 1 - out_len, NULL)) > 0)
        out_len += n;
    out[out_len] = '\0';
}

/* wait_for: until (d)'s output holds (text), 20 s at most. */
static void wait_for(struct domain *d, uint64_t *pos, const char *text)
{
    for (int i = 0; i < 2000 && !strstr(out, text); i++) {
        collect(d, pos);
        if (!strstr(out, text))
            sleep_ms(10);
    }
    ck_assert_msg(strstr(out, text), "no '%s' in:\n%s", text, out);
}

/* last_tick: the guest time of the last "tick N t=MS" line, and its N. */
static long last_tick(long *n)
{
    const char *p = out, *last = NULL;
    long t = -1;

    while ((p = strstr(p, "tick ")) != NULL)
        last = p++;
    if (last && sscanf(last, "tick %ld t=%ld", n, &t) != 2)
        t = -1;
    return t;
}

START_TEST(test_pause_stops_vcpus_and_time)
{
    struct domain *d = make("lifecycle", "tick=50");
    struct pvhv_domain_info info;
    struct pvhv_error err = {""};
    struct pvhv_domain_result res;
    long n0, n1, n2, t0, t1, t2;
    uint64_t pos = 0, sys;

    out_len = 0;
    out[0] = '\0';
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    wait_for(d, &pos, "tick 3 ");
    ck_assert_int_eq(pvhv_domain_pause(d), 0);
    ck_assert_int_eq(pvhv_domain_pause(d), -EBUSY);
    pvhv_domain_info(d, &info);
    ck_assert_int_eq(info.state, PVHV_STATE_PAUSED);
    sys = info.system_ns;
    collect(d, &pos);
    t0 = last_tick(&n0);
    sleep_ms(600);
    collect(d, &pos);
    t1 = last_tick(&n1);
    /* Nothing ran: no tick, and the guest's clock stood still. */
    ck_assert_int_eq(n1, n0);
    pvhv_domain_info(d, &info);
    ck_assert_uint_eq(info.system_ns, sys);
    ck_assert_int_eq(pvhv_domain_unpause(d), 0);
    ck_assert_int_eq(pvhv_domain_unpause(d), -EINVAL);
    wait_for(d, &pos, "tick 8 ");
    t2 = last_tick(&n2);
    /* Five ticks of 50 ms after the pause: about 250 ms of guest time, not
     * the 600 ms the pause lasted on top. */
    ck_assert_msg(t2 - t1 < 450,
                  "guest time went %ld ms over 5 ticks of 50 ms "
                  "across a pause of 600 ms (t0 %ld, t1 %ld)",
                  t2 - t1, t0, t1);
    ck_assert_int_eq(pvhv_domain_shutdown_request(d, "poweroff"), 0);
    pvhv_domain_wait(d, &res);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    pvhv_domain_info(d, &info);
    ck_assert_int_eq(info.state, PVHV_STATE_SHUTDOWN);
    ck_assert_uint_gt(info.cpu_ns, 0);
    pvhv_domain_destroy(d);
}
END_TEST

/* A guest that stopped watching control/shutdown is known not to hear it. */
START_TEST(test_deaf_guest_does_not_hear_shutdown)
{
    struct domain *d = make("lifecycle", "deaf=1");
    struct pvhv_error err = {""};
    struct pvhv_domain_result res;
    uint64_t pos = 0;

    out_len = 0;
    out[0] = '\0';
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    wait_for(d, &pos, "READY");
    ck_assert(!pvhv_domain_hears_shutdown(d));
    pvhv_domain_stop(d);
    pvhv_domain_wait(d, &res);
    ck_assert_int_eq(res.end, PVHV_END_DESTROYED);
    pvhv_domain_destroy(d);
}
END_TEST

START_TEST(test_idle_guest_is_blocked_and_echoes_input)
{
    struct domain *d = make("lifecycle", "");
    struct pvhv_domain_info info;
    struct pvhv_error err = {""};
    struct pvhv_domain_result res;
    uint64_t pos = 0, second = 0;
    int blocked = 0;
    char buf[64];
    size_t n;

    out_len = 0;
    out[0] = '\0';
    ck_assert_int_ge(pvhv_console_fd(d), 0);
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    wait_for(d, &pos, "READY");
    /* libpvguest watches control/shutdown from its boot on. */
    ck_assert(pvhv_domain_hears_shutdown(d));
    /* It sleeps between its looks at the ring: blocked, most of the time. */
    for (int i = 0; i < 200 && !blocked; i++) {
        pvhv_domain_info(d, &info);
        blocked = info.state == PVHV_STATE_BLOCKED;
        sleep_ms(5);
    }
    ck_assert_msg(blocked, "never seen blocked");
    ck_assert_int_eq(pvhv_console_input(d, "hi there\r", 9), 9);
    wait_for(d, &pos, "echo: hi there\n");
    /* A second reader, come late, reads it all from the first byte. */
    n = pvhv_console_read(d, &second, buf, 5, NULL);
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(buf, "READY", 5) == 0);
    /* The eventfd: armed by a read that found nothing, set by the end. */
    collect(d, &pos);
    ck_assert_int_eq(pvhv_domain_shutdown_request(d, "poweroff"), 0);
    pvhv_domain_wait(d, &res);
    struct pollfd p = {.fd = pvhv_console_fd(d), .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 5000), 1);
    /* The domain's log: how it ended. */
    pos = 0;
    n = pvhv_domain_log_read(d, &pos, buf, sizeof(buf) - 1, NULL);
    buf[n] = '\0';
    ck_assert_msg(strstr(buf, "SCHEDOP_shutdown(poweroff)"), "log: %s", buf);
    pvhv_domain_destroy(d);
}
END_TEST

START_TEST(test_paused_before_start_runs_nothing)
{
    struct domain *d = make("lifecycle", "");
    struct pvhv_domain_info info;
    struct pvhv_error err = {""};
    uint64_t pos = 0;

    out_len = 0;
    out[0] = '\0';
    ck_assert_int_eq(pvhv_domain_pause(d), 0);
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    sleep_ms(300);
    collect(d, &pos);
    ck_assert_uint_eq(out_len, 0);
    pvhv_domain_info(d, &info);
    ck_assert_int_eq(info.state, PVHV_STATE_PAUSED);
    ck_assert_int_eq(pvhv_domain_unpause(d), 0);
    wait_for(d, &pos, "READY");
    pvhv_domain_stop(d);
    pvhv_domain_info(d, &info);
    ck_assert_int_eq(info.state, PVHV_STATE_DYING);
    pvhv_domain_destroy(d);
}
END_TEST

/*
 * start_hvm: an hvm domain (name) of 4 MiB and one vCPU booting test
 * guest (guest_name) with (cmdline), created and started, the console
 * captured afresh.
 */
static struct domain *start_hvm(const char *guest_name, const char *name,
                                const char *cmdline)
{
    const char *kernel = guest(guest_name);
    int fd = open(kernel, O_RDONLY | O_CLOEXEC);
    struct pvhv_domain_config cfg = {
        .name = name,
        .memory = 4 << 20,
        .vcpus = 1,
        .kernel = pvhv_file_fd(fd, kernel),
        .cmdline = cmdline,
        .console_buffer = 16384,
        .hvm = true,
    };
    struct pvhv_error err = {""};
    struct domain *d = NULL;

    ck_assert_msg(fd >= 0, "%s: %s", kernel, strerror(errno));
    ck_assert_msg(pvhv_domain_create(hv, &cfg, &d, &err) == 0, "%s", err.msg);
    close(fd);
    out_len = 0;
    out[0] = '\0';
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    return d;
}

/*
 * An hvm domain's console is its 16550 UART: typed input reaches the
 * guest's receive FIFO (as the PV console's in[]) and comes back.
 */
START_TEST(test_hvm_console_round_trip)
{
    struct domain *d =
        start_hvm("hvm_probe", "hvm_echo", "echo=5 polls=100000000");
    struct pvhv_domain_result res;
    uint64_t pos = 0;

    wait_for(d, &pos, "hvm_probe: waiting for input");
    ck_assert_int_eq(pvhv_console_input(d, "hello", 5), 5);
    wait_for(d, &pos, "hvm_probe: got 'hello'");
    pvhv_domain_wait(d, &res);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    /* The boot marker port: 1 at the start, 2 before SUCCESS. */
    ck_assert_uint_eq(res.stats.markers, 2);
    ck_assert_uint_eq(res.stats.marker_value, 2);
    ck_assert_uint_gt(res.stats.marker_first_ns, 0);
    ck_assert_uint_ge(res.stats.marker_last_ns, res.stats.marker_first_ns);
    /* KVM's exits (where the host counts them): each exit reaching pvhv
     * is one of KVM's, and KVM's in-kernel LAPIC and PIT add their own. */
    if (res.stats.kvm_exits_counted) {
        ck_assert_uint_ge(res.stats.marker_first_kvm_exits, 1);
        ck_assert_uint_ge(
            res.stats.marker_last_kvm_exits - res.stats.marker_first_kvm_exits,
            res.stats.marker_last_exits - res.stats.marker_first_exits);
        ck_assert_uint_ge(res.stats.kvm_exits, res.stats.marker_last_kvm_exits);
    } else {
        ck_assert_uint_eq(res.stats.kvm_exits, 0);
        ck_assert_uint_eq(res.stats.marker_last_kvm_exits, 0);
    }
    pvhv_domain_destroy(d);
}
END_TEST

/*
 * The same console input by interrupt: with IER.RDI and MCR.OUT2 set,
 * each chunk typed raises IRQ 4 once, which the I/O APIC delivers to
 * the hvm_irq guest's handler (vector 0x34); it drains the FIFO there.
 */
START_TEST(test_hvm_uart_irq)
{
    struct domain *d = start_hvm("hvm_irq", "hvm_uart_irq", "uart=5");
    struct pvhv_domain_result res;
    uint64_t pos = 0;

    wait_for(d, &pos, "hvm_irq: waiting for input");
    ck_assert_int_eq(pvhv_console_input(d, "hel", 3), 3);
    wait_for(d, &pos, "hvm_irq: uart irq 1: 3 bytes");
    ck_assert_int_eq(pvhv_console_input(d, "lo", 2), 2);
    wait_for(d, &pos, "hvm_irq: uart irq 2: 5 bytes");
    wait_for(d, &pos, "hvm_irq: got 'hello' in 2 interrupts");
    pvhv_domain_wait(d, &res);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_ptr_null(strstr(out, "spurious"));
    pvhv_domain_destroy(d);
}
END_TEST

int main(void)
{
    struct pvhv_error err = {""};

    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        dprintf(9, "  check_lifecycle: SKIP: KVM is not usable here\n");
        return 77;
    }
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("lifecycle");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_pause_stops_vcpus_and_time);
    tcase_add_test(tc, test_idle_guest_is_blocked_and_echoes_input);
    tcase_add_test(tc, test_deaf_guest_does_not_hear_shutdown);
    tcase_add_test(tc, test_paused_before_start_runs_nothing);
    tcase_add_test(tc, test_hvm_console_round_trip);
    tcase_add_test(tc, test_hvm_uart_irq);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    pvhv_close(hv);
    return failed ? 1 : 0;
}
