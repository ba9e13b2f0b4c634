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
# The 32-bit kernel (protected mode, paging off): Xen's compat layouts.
guests="evtchn_fifo small_answers"
c32=
if [ -f "$G/compat32/compat32.elf" ]; then
    c32=$(domain_xml compat32 "$G/compat32/compat32.elf" 4096)
    guests="$guests compat32"
else
    echo "no 32-bit compiler here: compat32 not built, not run"
fi
run_pvctl run "$hello" "$fifo" "$small" $c32
expect_rc 0
expect_out "hello| hypervisor: Xen 4.17-pvhv"
expect_err "pvctl: hello (id 1): poweroff"
for g in $guests; do
    expect_out "$g| SUCCESS"
    ! grep -F "$g| ABORT" "$TMP/out" || fail "$g aborted"
done
expect_out "evtchn_fifo| ok: init_control, frame 0xfffff0 (not RAM) -> -22"
expect_out "evtchn_fifo| ok: init_control, good arguments (stay on 2-level) -> -38"
expect_out "small_answers| ok: alloc_unbound(remote_dom 4000, no such domain) -> 0"
if [ -n "$c32" ]; then
    expect_out "compat32| ok: add_to_physmap(shared_info) (16-byte compat struct) -> 0"
    expect_out "compat32| ok: selector: bit port / 32 of the 32-bit word -> 2"
    expect_err "pvctl: compat32 (id 4): poweroff"
fi
exit 0
