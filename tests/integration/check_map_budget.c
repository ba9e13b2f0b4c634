/* SPDX-License-Identifier: MIT */
/*
 * check_map_budget.c: the host's memory mappings shared out among real
 * domains (core/map_budget.h). The instance's budget is made small, as if
 * vm.max_map_count were MAX_MAP_COUNT, so that guests reach its limits in
 * a few hundred grant mappings: four guests map until refused and hold
 * their mappings, filling the shared pool; a domain created afterwards
 * still boots and maps its guaranteed 64, no more; domains are made until
 * one is refused, with a message naming vm.max_map_count; when all have
 * gone, the budget is whole again.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/instance.h"
#include "core/map_budget.h"
#include "pvhv.h"

/*
 * The limit (MAX_MAP_COUNT less the 1024 of headroom) is twelve domains'
 * minimums (1 vCPU, 32 grant frames: NEED each): the pool holds six, a
 * share a quarter of that (SHARE_MAPS grant mappings); the minimums' half
 * holds six domains.
 */
#define NEED (map_budget_domain_fixed(1, 32, 0) + MAP_BUDGET_OWN)
#define MAX_MAP_COUNT (MAP_BUDGET_MIN_HEADROOM + 12 * NEED)
#define SHARE_MAPS ((int)(6 * NEED / 4 / MAP_BUDGET_PAGE_COST))
#define HOGS 4

static struct pvhv *hv;

struct console {
    pthread_mutex_t lock;
    char buf[8192];
    size_t len;
};

static void capture(void *opaque, const char *buf, size_t len)
{
    struct console *c = opaque;

    pthread_mutex_lock(&c->lock);
    if (len > sizeof(c->buf) - 1 - c->len)
        len = sizeof(c->buf) - 1 - c->len;
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
    c->buf[c->len] = '\0';
    pthread_mutex_unlock(&c->lock);
}

/* said: whether (c) holds (what) yet. */
static bool said(struct console *c, const char *what)
{
    bool yes;

    pthread_mutex_lock(&c->lock);
    yes = strstr(c->buf, what) != NULL;
    pthread_mutex_unlock(&c->lock);
    return yes;
}

/* wait_for: polls (c) for (what) up to 30 s. */
static bool wait_for(struct console *c, const char *what)
{
    for (int i = 0; i < 3000; i++) {
        if (said(c, what))
            return true;
        usleep(10000);
    }
    return false;
}

static int create(const char *name, const char *cmdline, struct console *con,
                  struct domain **d, struct pvhv_error *err)
{
    static char kernel[4096];

    snprintf(kernel, sizeof(kernel), "%s/gnt_exhaust/gnt_exhaust.elf",
             getenv("GUESTS"));
    /* pvhv reads the kernel at create and keeps no descriptor of it. */
    int fd = open(kernel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ck_assert_msg(fd >= 0, "%s: %s", kernel, strerror(errno));
    struct pvhv_domain_config cfg = {
        .name = name,
        .memory = 4 << 20,
        .vcpus = 1,
        .kernel = pvhv_file_fd(fd, kernel),
        .cmdline = cmdline,
        .console = capture,
        .console_opaque = con,
    };
    pthread_mutex_lock(&con->lock);
    con->buf[0] = '\0';
    con->len = 0;
    pthread_mutex_unlock(&con->lock);
    int rc = pvhv_domain_create(hv, &cfg, d, err);
    close(fd);
    if (rc == 0)
        ck_assert_int_eq(pvhv_domain_start(*d, err), 0);
    return rc;
}

/* run: a domain from creation to its end, which must be a poweroff. */
static void run(const char *name, const char *cmdline, struct console *con)
{
    struct pvhv_error err = {""};
    struct pvhv_domain_result res;
    struct domain *d;

    ck_assert_msg(create(name, cmdline, con, &d, &err) == 0, "%s: %s", name,
                  err.msg);
    pvhv_domain_wait(d, &res);
    pvhv_domain_destroy(d);
    ck_assert_msg(res.end == PVHV_END_POWEROFF, "%s ended with %s (%s):\n%s",
                  name, pvhv_end_name(res.end), res.reason, con->buf);
    ck_assert_msg(said(con, "SUCCESS\n"), "%s said:\n%s", name, con->buf);
}

/* A mapper's verdict when it was refused after its 64 and a full share. */
static const char *full_share(void)
{
    static char want[80];

    snprintf(want, sizeof(want),
             "gnt_exhaust: %d mappings, then GNTST_no_space",
             MAP_BUDGET_MIN_GRANT_MAPS + SHARE_MAPS);
    return want;
}

/* fill_pool: HOGS domains map their 64, then a share each, and hold. */
static void fill_pool(struct domain **hog, struct console *con)
{
    struct pvhv_error err = {""};
    char name[32];

    for (int i = 0; i < HOGS; i++) {
        snprintf(name, sizeof(name), "hog%d", i);
        ck_assert_msg(create(name, "hold=1", &con[i], &hog[i], &err) == 0,
                      "%s: %s", name, err.msg);
    }
    for (int i = 0; i < HOGS; i++) {
        ck_assert_msg(wait_for(&con[i], "HOLDING"), "hog%d said:\n%s", i,
                      con[i].buf);
        ck_assert_msg(said(&con[i], full_share()), "hog%d said:\n%s", i,
                      con[i].buf);
    }
    ck_assert_uint_eq(hv->maps.pool_used,
                      HOGS * SHARE_MAPS * MAP_BUDGET_PAGE_COST);
}

/*
 * refuse_creation: with the pool full, minimums for two more domains fit
 * beside the hogs'; the third is refused, naming the numbers.
 */
static void refuse_creation(void)
{
    static struct console con[3];
    struct domain *d[3];
    struct pvhv_error err = {""};
    char name[32], want[256];
    unsigned int n = 0;

    for (; n < 3; n++) {
        pthread_mutex_init(&con[n].lock, NULL);
        snprintf(name, sizeof(name), "extra%u", n);
        if (create(name, "hold=1", &con[n], &d[n], &err) < 0)
            break;
    }
    ck_assert_uint_eq(n, 2);
    snprintf(want, sizeof(want),
             "cannot reserve %llu memory mappings for the domain: the host's "
             "vm.max_map_count is %llu, of which %llu serve domains",
             (unsigned long long)NEED, (unsigned long long)MAX_MAP_COUNT,
             (unsigned long long)(12 * NEED));
    ck_assert_msg(strstr(err.msg, want), "%s", err.msg);
    while (n-- > 0)
        pvhv_domain_destroy(d[n]);
}

START_TEST(test_hogs_then_a_late_domain)
{
    static struct console hog_con[HOGS], con;
    struct domain *hog[HOGS];

    pthread_mutex_init(&con.lock, NULL);
    for (int i = 0; i < HOGS; i++)
        pthread_mutex_init(&hog_con[i].lock, NULL);
    fill_pool(hog, hog_con);
    /* Created afterwards: its guaranteed 64 work, and no more. */
    run("late", "max=64", &con);
    ck_assert(said(&con, "gnt_exhaust: 64 mappings, none refused"));
    run("late2", "", &con);
    ck_assert_msg(said(&con, "gnt_exhaust: 64 mappings, then GNTST_no_space"),
                  "late2 said:\n%s", con.buf);
    refuse_creation();
    for (int i = 0; i < HOGS; i++)
        pvhv_domain_destroy(hog[i]);
    ck_assert_uint_eq(hv->maps.reserved, 0);
    ck_assert_uint_eq(hv->maps.pool_used, 0);
    /* All given back: one maps its own and a full share again. */
    run("again", "", &con);
    ck_assert_msg(said(&con, full_share()), "again said:\n%s", con.buf);
}
END_TEST

int main(void)
{
    struct pvhv_error err = {""};

    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        dprintf(9, "  check_map_budget: SKIP: KVM is not usable here\n");
        return 77;
    }
    /* No domain yet: the budget may be made again, smaller. */
    map_budget_fini(&hv->maps);
    map_budget_init(&hv->maps, MAX_MAP_COUNT);

    Suite *s = suite_create("map_budget_domains");
    TCase *tc = tcase_create("kvm");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_hogs_then_a_late_domain);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    pvhv_close(hv);
    return failed ? 1 : 0;
}
