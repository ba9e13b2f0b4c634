/* SPDX-License-Identifier: MIT */
/* check_domain_lookup.c: a caller's target: rights, locks; pair lock order. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "core/domain.h"
#include "core/domain_lookup.h"
#include "core/instance.h"
#include "core/registry.h"
#include "domain_fixture.h"
#include "pvabi/errno.h"

/*
 * Three domains of one instance (domain_fixture.h): dom[0] (id 3,
 * privileged), dom[1] (id 1) and dom[2] (id 2). Id 0 is the host's.
 */
#define PRIV_ID 3
static struct registry *reg;
static struct domain *dom[3];

static void setup(void)
{
    static const uint16_t ids[3] = {PRIV_ID, 1, 2};
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, 1 << 20);
    for (int i = 0; i < 3; i++) {
        dom[i] = fixture_domain(&cfg, ids[i]);
        ck_assert_uint_eq(dom[i]->domid, ids[i]);
    }
    dom[0]->privileged = true;
    reg = &fixture_instance()->registry;
}

static void teardown(void)
{
    for (int i = 0; i < 3; i++)
        fixture_destroy(dom[i]);
}

static int find(struct domain *d, domid_t id, enum lookup_rights rights,
                struct domain **out)
{
    int rc;

    registry_lock(reg);
    rc = domain_find_checked(d, id, rights, NULL, out);
    registry_unlock(reg);
    return rc;
}

START_TEST(self_is_always_found)
{
    static const enum lookup_rights all[] = {LOOKUP_SELF, LOOKUP_PRIVILEGED,
                                             LOOKUP_ANY};
    struct domain *out;

    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_int_eq(find(dom[1], DOMID_SELF, all[i], &out), 0);
        ck_assert_ptr_eq(out, dom[1]);
        ck_assert_int_eq(find(dom[1], 1, all[i], &out), 0);
        ck_assert_ptr_eq(out, dom[1]);
    }
}
END_TEST

START_TEST(another_domain_needs_privilege)
{
    struct domain *out;

    ck_assert_int_eq(find(dom[1], 2, LOOKUP_PRIVILEGED, &out), -XEN_EPERM);
    ck_assert_ptr_eq(out, dom[2]); /* found, but refused */
    ck_assert_int_eq(find(dom[1], 0, LOOKUP_PRIVILEGED, &out), -XEN_EPERM);
    ck_assert_int_eq(find(dom[1], PRIV_ID, LOOKUP_PRIVILEGED, &out),
                     -XEN_EPERM);
    ck_assert_int_eq(find(dom[0], 2, LOOKUP_PRIVILEGED, &out), 0);
    ck_assert_ptr_eq(out, dom[2]);
    /* LOOKUP_SELF refuses even the privileged; LOOKUP_ANY refuses none. */
    ck_assert_int_eq(find(dom[0], 2, LOOKUP_SELF, &out), -XEN_EPERM);
    ck_assert_int_eq(find(dom[1], 2, LOOKUP_ANY, &out), 0);
    ck_assert_ptr_eq(out, dom[2]);
}
END_TEST

START_TEST(missing_domain_is_esrch)
{
    struct domain *out = dom[0];

    /* No such domain answers ESRCH before any permission check. */
    ck_assert_int_eq(find(dom[1], 7, LOOKUP_SELF, &out), -XEN_ESRCH);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(find(dom[0], 7, LOOKUP_PRIVILEGED, &out), -XEN_ESRCH);
    ck_assert_int_eq(find(dom[1], DOMID_FIRST_RESERVED - 1, LOOKUP_ANY, &out),
                     -XEN_ESRCH);
}
END_TEST

static bool never(const struct domain *td)
{
    (void)td;
    return false;
}

static bool only_two(const struct domain *td)
{
    return td->domid == 2;
}

START_TEST(unusable_domain_is_as_none)
{
    struct domain *out;

    registry_lock(reg);
    ck_assert_int_eq(domain_find_checked(dom[0], 1, LOOKUP_ANY, never, &out),
                     -XEN_ESRCH);
    ck_assert_ptr_null(out);
    /* Unusable answers ESRCH even where the caller lacks the right. */
    ck_assert_int_eq(
        domain_find_checked(dom[1], 0, LOOKUP_PRIVILEGED, only_two, &out),
        -XEN_ESRCH);
    ck_assert_int_eq(domain_find_checked(dom[1], 2, LOOKUP_ANY, only_two, &out),
                     0);
    registry_unlock(reg);
}
END_TEST

/*
 * Id 0 is the host's event channel ends, no domain: found by nobody;
 * what needs something of it finds none, what needs nothing is refused,
 * whatever the rights.
 */
START_TEST(host_is_no_domain)
{
    static const enum lookup_rights all[] = {LOOKUP_SELF, LOOKUP_PRIVILEGED,
                                             LOOKUP_ANY};
    struct domain *out = dom[1];

    ck_assert_ptr_null(registry_find(reg, HOST_DOMID));
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_int_eq(find(dom[0], HOST_DOMID, all[i], &out), -XEN_EPERM);
        ck_assert_ptr_null(out);
        ck_assert_int_eq(
            domain_find_checked(dom[0], HOST_DOMID, all[i], only_two, &out),
            -XEN_ESRCH);
    }
}
END_TEST

/*
 * A lock callback that records its calls and checks that the target's
 * slot is held, and not the whole registry.
 */
static unsigned int locked_calls;
static struct domain *locked_target;

static void record_lock(struct domain *d, struct domain *td)
{
    (void)d;
    ck_assert_int_eq(
        pthread_mutex_trylock(&reg->stripe[td->domid % REGISTRY_STRIPES]),
        EBUSY);
    ck_assert_int_eq(pthread_mutex_trylock(&reg->lock), 0);
    pthread_mutex_unlock(&reg->lock);
    locked_calls++;
    locked_target = td;
}

START_TEST(lookup_locks_only_what_it_grants)
{
    const struct domain_lookup how = {
        .rights = LOOKUP_PRIVILEGED,
        .lock = record_lock,
    };
    struct domain *out;

    locked_calls = 0;
    ck_assert_int_eq(domain_lookup(dom[1], 2, &how, &out), -XEN_EPERM);
    ck_assert_int_eq(domain_lookup(dom[1], 9, &how, &out), -XEN_ESRCH);
    ck_assert_uint_eq(locked_calls, 0);
    ck_assert_int_eq(domain_lookup(dom[0], 2, &how, &out), 0);
    ck_assert_uint_eq(locked_calls, 1);
    ck_assert_ptr_eq(locked_target, dom[2]);
    /* The slot is free again whatever the answer. */
    for (unsigned int i = 0; i < REGISTRY_STRIPES; i++) {
        ck_assert_int_eq(pthread_mutex_trylock(&reg->stripe[i]), 0);
        pthread_mutex_unlock(&reg->stripe[i]);
    }
}
END_TEST

/* Two slots at once: both stripes, once when they share one. */
START_TEST(two_slots_lock_both_stripes)
{
    pthread_mutex_t *s1 = &reg->stripe[1], *s2 = &reg->stripe[2];

    registry_lock_ids(reg, 2, 1);
    ck_assert_int_eq(pthread_mutex_trylock(s1), EBUSY);
    ck_assert_int_eq(pthread_mutex_trylock(s2), EBUSY);
    ck_assert_int_eq(pthread_mutex_trylock(&reg->lock), 0);
    pthread_mutex_unlock(&reg->lock);
    registry_unlock_ids(reg, 2, 1);
    registry_lock_ids(reg, 1, 1 + REGISTRY_STRIPES);
    ck_assert_int_eq(pthread_mutex_trylock(s1), EBUSY);
    ck_assert_int_eq(pthread_mutex_trylock(s2), 0);
    pthread_mutex_unlock(s2);
    registry_unlock_ids(reg, 1, 1 + REGISTRY_STRIPES);
    ck_assert_int_eq(pthread_mutex_trylock(s1), 0);
    pthread_mutex_unlock(s1);
}
END_TEST

/* Pair locks: the order the locks are taken in, by domid. */
static domid_t order[4];
static unsigned int n_order;

static void record(struct domain *d)
{
    ck_assert_uint_lt(n_order, 4);
    order[n_order++] = d->domid;
}

START_TEST(pair_lock_takes_lower_domid_first)
{
    n_order = 0;
    domain_lock_pair(dom[2], dom[1], record);
    ck_assert_uint_eq(n_order, 2);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 2);
    n_order = 0;
    domain_lock_pair(dom[1], dom[2], record);
    ck_assert_uint_eq(n_order, 2);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 2);
    n_order = 0;
    domain_unlock_pair(dom[2], dom[1], record);
    ck_assert_uint_eq(n_order, 2);
}
END_TEST

START_TEST(pair_lock_of_one_domain_locks_once)
{
    n_order = 0;
    domain_lock_pair(dom[1], dom[1], record);
    ck_assert_uint_eq(n_order, 1);
    ck_assert_uint_eq(order[0], 1);
    n_order = 0;
    domain_unlock_pair(dom[1], dom[1], record);
    ck_assert_uint_eq(n_order, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("domain_lookup");
    TCase *tc = tcase_create("domain_lookup");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, self_is_always_found);
    tcase_add_test(tc, another_domain_needs_privilege);
    tcase_add_test(tc, missing_domain_is_esrch);
    tcase_add_test(tc, unusable_domain_is_as_none);
    tcase_add_test(tc, host_is_no_domain);
    tcase_add_test(tc, lookup_locks_only_what_it_grants);
    tcase_add_test(tc, two_slots_lock_both_stripes);
    tcase_add_test(tc, pair_lock_takes_lower_domid_first);
    tcase_add_test(tc, pair_lock_of_one_domain_locks_once);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
