/* SPDX-License-Identifier: MIT */
/* domain_fixture.h: unit tests' domains, made by the real domain_build over the
 * fake platform. */
#ifndef PVHV_TESTS_DOMAIN_FIXTURE_H
#define PVHV_TESTS_DOMAIN_FIXTURE_H

#include <stdint.h>

#include "pvhv.h"

struct domain;

/*
 * fixture_config: a valid configuration of (memory) bytes of RAM, one
 * vCPU and a tiny PVH kernel (an ELF image in a memfd, loaded at
 * FIXTURE_KERNEL_GPA, nothing to run), for a test to change before
 * fixture_domain.
 */
#define FIXTURE_KERNEL_GPA 0x80000ULL
void fixture_config(struct pvhv_domain_config *cfg, uint64_t memory);

/*
 * fixture_build: runs domain_build (hypervisor/core/domain_build.c) in a
 * hypervisor instance over the fake platform (opened on first use), the
 * domain getting id (domid) if free. Returns domain_build's result, (*d)
 * and (err) as it left them. fixture_domain: the same, asserting success.
 * The domain is built, not started (DOMAIN_CREATED; no vCPU thread).
 */
int fixture_build(const struct pvhv_domain_config *cfg, uint16_t domid,
                  struct domain **d, struct pvhv_error *err);
struct domain *fixture_domain(const struct pvhv_domain_config *cfg,
                              uint16_t domid);

/*
 * fixture_free_ports: detaches (d)'s devices (its PV console) and closes
 * its XenStore ring, with their event channels, so that (d)'s ports and
 * the instance's host ports hold only what the test binds. The domain's
 * teardown then finds them gone.
 */
void fixture_free_ports(struct domain *d);

/*
 * fixture_teardown: domain_teardown of (d), a domain fixture_build made;
 * the instance stays. fixture_destroy: the same for (d) (NULL: none),
 * then, once no domain fixture_build made is left, the instance goes too.
 */
void fixture_teardown(struct domain *d);
void fixture_destroy(struct domain *d);

/* fixture_instance: the instance fixture_build builds in (opened now if
 * not yet). */
struct pvhv *fixture_instance(void);

#endif /* PVHV_TESTS_DOMAIN_FIXTURE_H */
