#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_nokvm.sh: without /dev/kvm, pvctl says so plainly and exits 3.
# Hides /dev/kvm in a private mount namespace (needs root and unshare).
. "$top_srcdir/tests/integration/lib.sh"

command -v unshare >/dev/null 2>&1 || skip "no unshare"
unshare -m true 2>/dev/null || skip "cannot make a mount namespace"
xml=$(domain_xml hello "$top_builddir/examples/hello/hello.elf" 4096)
rc=0
unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0" run "$1"' \
    "$PVCTL" "$xml" >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 3
expect_err "/dev/kvm does not exist"
exit 0
