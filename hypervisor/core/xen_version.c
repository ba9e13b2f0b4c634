/* SPDX-License-Identifier: MIT */
/* xen_version.c: xen_version(cmd, arg): what the hypervisor is and offers. */
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/pvhv.h"
#include "pvabi/version.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/hypercall_handler.h"
#include "core/log.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The guest types pvhv runs: PVH, in any of the three x86 modes. */
#define PVHV_CAPABILITIES "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"
#define PVHV_CHANGESET "pvhv ABI " STR(PVABI_VERSION)

/*
 * Features of submap 0, as Xen gives a PVH guest: it writes its own page
 * tables in its RAM (translated, so not direct-mapped), takes events on a
 * callback vector (HVM_PARAM_CALLBACK_IRQ type 2) and may trust pvclock.
 * Not offered: memory_op_vnode_supported (no XENMEM_get_vnumainfo) and
 * linux_rsdp_unrestricted (no ACPI tables yet).
 */
#define PVHV_FEATURES_0                                                        \
    ((1u << XENFEAT_writable_page_tables) |                                    \
     (1u << XENFEAT_auto_translated_physmap) |                                 \
     (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock) |  \
     (1u << XENFEAT_not_direct_mapped))

static long put(struct vcpu *v, gva_t dst, const void *src, size_t len,
                const char *what)
{
    struct domain *d = v->domain;

    if (copy_to_guest(&d->ram, &v->ctx.paging, dst, src, len)) {
        gdprintk(d, "xen_version %s: bad buffer 0x%llx", what,
                 (unsigned long long)dst);
        return -XEN_EFAULT;
    }
    return 0;
}

/* put_string: (s) in a zero-filled field of (size) bytes at (dst). */
static long put_string(struct vcpu *v, gva_t dst, const char *s, size_t size,
                       const char *what)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];

    memset(buf, 0, size);
    strncpy(buf, s, size - 1);
    return put(v, dst, buf, size, what);
}

static long put_compile_info(struct vcpu *v, gva_t dst)
{
    struct xen_compile_info info;

    memset(&info, 0, sizeof(info));
    strncpy(info.compiler, "gcc " __VERSION__, sizeof(info.compiler) - 1);
    strncpy(info.compile_by, "pvhv", sizeof(info.compile_by) - 1);
    strncpy(info.compile_domain, "pvhv", sizeof(info.compile_domain) - 1);
    /* __DATE__ honours SOURCE_DATE_EPOCH, so builds stay reproducible. */
    strncpy(info.compile_date, __DATE__, sizeof(info.compile_date) - 1);
    return put(v, dst, &info, sizeof(info), "compile_info");
}

static long put_platform_parameters(struct vcpu *v, gva_t dst)
{
    /* No hypervisor hole in a PVH guest's address space. */
    struct xen_platform_parameters params = {.virt_start = 0};

    return put(v, dst, &params, sizeof(params), "platform_parameters");
}

static long get_features(struct vcpu *v, gva_t arg)
{
    struct domain *d = v->domain;
    struct xen_feature_info fi;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &fi, arg, sizeof(fi))) {
        gdprintk(d, "xen_version get_features: bad buffer 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    fi.submap = fi.submap_idx == 0 ? PVHV_FEATURES_0 : 0;
    return put(v, arg, &fi, sizeof(fi), "get_features");
}

long do_xen_version(struct vcpu *v, const uint64_t arg[5])
{
    gva_t p = arg[1];

    switch ((uint32_t)arg[0]) {
    case XENVER_version:
        return (PVHV_XEN_MAJOR << 16) | PVHV_XEN_MINOR;
    case XENVER_extraversion:
        return put_string(v, p, PVHV_XEN_EXTRAVERSION, XEN_EXTRAVERSION_LEN,
                          "extraversion");
    case XENVER_compile_info:
        return put_compile_info(v, p);
    case XENVER_capabilities:
        return put_string(v, p, PVHV_CAPABILITIES, XEN_CAPABILITIES_INFO_LEN,
                          "capabilities");
    case XENVER_changeset:
        return put_string(v, p, PVHV_CHANGESET, XEN_CHANGESET_INFO_LEN,
                          "changeset");
    case XENVER_platform_parameters:
        return put_platform_parameters(v, p);
    case XENVER_get_features:
        return get_features(v, p);
    case XENVER_pagesize:
        return XEN_PAGE_SIZE;
    default:
        return -XEN_ENOSYS;
    }
}
