/* SPDX-License-Identifier: MIT */
/*
 * vmcall.c: hypercalls as Linux since 6.1.121 makes them, with VMCALL
 * (Intel) or VMMCALL (AMD) in place of the hypercall page: the number in
 * %rax, arguments in %rdi, %rsi, %rdx, %r10, %r8. Only a host whose KVM
 * passes them on (KVM_CAP_XEN_HVM) serves them; elsewhere the test that
 * boots this guest skips.
 */

#include "../testguest.h"

static int amd;

static long vmcall2(unsigned int nr, unsigned long a1, unsigned long a2)
{
    long ret = nr;

    if (amd)
        __asm__ volatile("vmmcall"
                         : "+a"(ret), "+D"(a1), "+S"(a2)
                         :
                         : "memory");
    else
        __asm__ volatile("vmcall" : "+a"(ret), "+D"(a1), "+S"(a2) : : "memory");
    return ret;
}

int main(void)
{
    uint32_t ebx, ecx, edx, eax = 0;
    struct xen_feature_info fi = {.submap_idx = 0};
    char extra[XEN_EXTRAVERSION_LEN];

    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    amd = ebx == 0x68747541; /* "Auth"enticAMD */
    check_result("vmcall xen_version(XENVER_version)",
                 vmcall2(__HYPERVISOR_xen_version, XENVER_version, 0),
                 HYPERVISOR_xen_version(XENVER_version, NULL));
    check_result("vmcall xen_version(XENVER_extraversion)",
                 vmcall2(__HYPERVISOR_xen_version, XENVER_extraversion,
                         (unsigned long)extra),
                 0);
    printf("ok: extraversion '%s'\n", extra);
    check_result("vmcall xen_version(XENVER_get_features)",
                 vmcall2(__HYPERVISOR_xen_version, XENVER_get_features,
                         (unsigned long)&fi),
                 0);
    check_result("XENFEAT_hvm_callback_vector",
                 !!(fi.submap & (1u << XENFEAT_hvm_callback_vector)), 1);
    check_result("vmcall of an unknown number", vmcall2(99, 0, 0), -XEN_ENOSYS);
    puts("SUCCESS");
    return 0;
}
