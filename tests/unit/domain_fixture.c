/* SPDX-License-Identifier: MIT */
/* domain_fixture.c: unit tests' domains, made by the real domain_build over the
 * fake platform. */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/device_types.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/instance.h"
#include "core/xenstore/ring.h"
#include "domain_fixture.h"
#include "fake_platform.h"
#include "pvabi/elfnote.h"

static struct pvhv *hv;
static int kernel_fd = -1;
static unsigned int built; /* domains fixture_build made, not yet destroyed */

/*
 * The kernel: an ELF header, one PT_NOTE (PHYS32_ENTRY) and one PT_LOAD
 * of a page at FIXTURE_KERNEL_GPA whose first byte is `hlt`.
 */
static int kernel_image(void)
{
    struct {
        Elf64_Ehdr e;
        Elf64_Phdr ph[2];
        uint32_t note[3];
        char name[4];
        uint32_t entry;
        uint8_t code[1];
    } img;
    int fd = memfd_create("fixture-kernel", MFD_CLOEXEC);

    ck_assert_int_ge(fd, 0);
    memset(&img, 0, sizeof(img));
    memcpy(img.e.e_ident, ELFMAG, SELFMAG);
    img.e.e_ident[EI_CLASS] = ELFCLASS64;
    img.e.e_ident[EI_DATA] = ELFDATA2LSB;
    img.e.e_ident[EI_VERSION] = EV_CURRENT;
    img.e.e_type = ET_EXEC;
    img.e.e_machine = EM_X86_64;
    img.e.e_version = EV_CURRENT;
    img.e.e_entry = FIXTURE_KERNEL_GPA;
    img.e.e_phoff = offsetof(__typeof__(img), ph);
    img.e.e_ehsize = sizeof(img.e);
    img.e.e_phentsize = sizeof(Elf64_Phdr);
    img.e.e_phnum = 2;
    img.ph[0] = (Elf64_Phdr){.p_type = PT_NOTE,
                             .p_offset = offsetof(__typeof__(img), note),
                             .p_filesz = 20,
                             .p_align = 4};
    img.ph[1] = (Elf64_Phdr){.p_type = PT_LOAD,
                             .p_flags = PF_R | PF_X,
                             .p_offset = offsetof(__typeof__(img), code),
                             .p_vaddr = FIXTURE_KERNEL_GPA,
                             .p_paddr = FIXTURE_KERNEL_GPA,
                             .p_filesz = 1,
                             .p_memsz = 0x1000,
                             .p_align = 1};
    img.note[0] = 4;
    img.note[1] = 4;
    img.note[2] = XEN_ELFNOTE_PHYS32_ENTRY;
    memcpy(img.name, "Xen", 4);
    img.entry = (uint32_t)FIXTURE_KERNEL_GPA;
    img.code[0] = 0xf4; /* hlt */
    ck_assert_int_eq(write(fd, &img, sizeof(img)), (ssize_t)sizeof(img));
    return fd;
}

void fixture_config(struct pvhv_domain_config *cfg, uint64_t memory)
{
    if (kernel_fd < 0)
        kernel_fd = kernel_image();
    *cfg = (struct pvhv_domain_config){
        .name = "fixture",
        .memory = memory,
        .vcpus = 1,
        .kernel = pvhv_file_fd(kernel_fd, "fixture kernel"),
    };
}

struct pvhv *fixture_instance(void)
{
    struct pvhv_error err;

    if (!hv)
        ck_assert_msg(pvhv_open_on(&fake_platform_ops, &hv, &err) == 0,
                      "pvhv_open_on: %s", err.msg);
    return hv;
}

int fixture_build(const struct pvhv_domain_config *cfg, uint16_t domid,
                  struct domain **d, struct pvhv_error *err)
{
    int rc;

    fixture_instance()->registry.next_domid = domid;
    *d = NULL;
    rc = pvhv_domain_create(hv, cfg, d, err);
    built += rc == 0;
    return rc;
}

struct domain *fixture_domain(const struct pvhv_domain_config *cfg,
                              uint16_t domid)
{
    struct pvhv_error err = {{0}};
    struct domain *d;
    int rc = fixture_build(cfg, domid, &d, &err);

    ck_assert_msg(rc == 0, "domain_build: %d: %s", rc, err.msg);
    ck_assert_uint_eq(d->domid, domid);
    return d;
}

void fixture_free_ports(struct domain *d)
{
    static const unsigned int params[] = {HVM_PARAM_STORE_EVTCHN,
                                          HVM_PARAM_CONSOLE_EVTCHN};

    for (unsigned int i = d->hv->nr_device_types; i-- > 0;)
        if (d->hv->device_types[i]->hvm == d->hvm)
            d->hv->device_types[i]->detach(d);
    xenstore_ring_destroy(d->store);
    d->store = NULL;
    /* Their host ends are gone: the guest ends are unbound, closed now. */
    for (unsigned int i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        uint64_t *port = &d->hvm_param[params[i]];

        if (*port)
            ck_assert_int_eq(evtchn_close(d, (evtchn_port_t)*port), 0);
        *port = 0;
    }
}

void fixture_teardown(struct domain *d)
{
    domain_teardown(d);
    built--;
}

void fixture_destroy(struct domain *d)
{
    if (d)
        fixture_teardown(d);
    if (built)
        return;
    pvhv_close(hv);
    hv = NULL;
    if (kernel_fd >= 0)
        close(kernel_fd);
    kernel_fd = -1;
}
