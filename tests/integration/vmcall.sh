#!/bin/sh
# SPDX-License-Identifier: MIT
# vmcall.sh: hypercalls made with VMCALL/VMMCALL (Linux >= 6.1.121) served
# through the hypercall table, where the host's KVM passes them on; on a
# host without KVM_CAP_XEN_HVM it skips, saying so.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

# The host's answer first, with a guest that needs no VMCALL.
h=$(domain_xml hello "$top_builddir/examples/hello/hello.elf" 4096)
run_pvctl run -q --stats "$h"
expect_rc 0
no="this host's KVM cannot pass VMCALL hypercalls to pvhv; kernels without a hypercall page (Linux >= 6.1.121) cannot run here"
if grep -qF "pvctl: stats: host: $no" "$TMP/err"; then
    skip "$no"
fi
expect_err "pvctl: stats: host: VMCALL hypercalls are passed to pvhv (KVM_CAP_XEN_HVM)"
x=$(domain_xml vmcall "$GUESTS/vmcall/vmcall.elf" 4096)
run_pvctl run "$x"
expect_rc 0
expect_out "ok: vmcall of an unknown number -> -38"
expect_out "SUCCESS"
exit 0
