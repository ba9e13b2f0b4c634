#!/bin/sh
# SPDX-License-Identifier: MIT
# xen_answers.sh: guests that call hypercalls as Xen's public headers say
# and check that the answers are Xen's, run beside the hello and
# ping-pong examples, which must finish as always.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
EX="$top_builddir/examples"

hello=$(domain_xml hello "$EX/hello/hello.elf" 4096)
fifo=$(domain_xml evtchn_fifo "$G/evtchn_fifo/evtchn_fifo.elf" 4096)
# 2 GiB: the boot data must still lie next to the kernel, not at the top.
small=$(domain_xml small_answers "$G/small_answers/small_answers.elf" 2097152)
run_pvctl run "$hello" "$fifo" "$small"
expect_rc 0
expect_out "hello| hypervisor: Xen 4.17-pvhv"
expect_err "pvctl: hello (id 1): poweroff"
for g in evtchn_fifo small_answers; do
    expect_out "$g| SUCCESS"
    ! grep -F "$g| ABORT" "$TMP/out" || fail "$g aborted"
done
expect_out "evtchn_fifo| ok: init_control, frame 0xfffff0 (not RAM) -> -22"
expect_out "evtchn_fifo| ok: init_control, good arguments (stay on 2-level) -> -38"
expect_out "small_answers| ok: alloc_unbound(remote_dom 4000, no such domain) -> 0"
exit 0
