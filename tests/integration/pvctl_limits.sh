#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_limits.sh: pvctl against the host's limits. It raises its soft
# RLIMIT_NOFILE to the hard limit, so a low soft limit does not stop a
# run; running out of descriptors says so, with the limit, rather than
# blaming a file. A domain's memory is compared with the host's: more
# than RAM and swap together is refused, naming the value, the element
# and the host's figures; more than is available now runs, with a warning.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

HELLO="$top_builddir/examples/hello/hello.elf"
N=16 # five descriptors each: more than a soft limit of 64 allows

xmls=
i=1
while [ "$i" -le "$N" ]; do
    xmls="$xmls $(domain_xml "h$i" "$HELLO" 4096)"
    i=$((i + 1))
done

hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 64 ]; then
    # shellcheck disable=SC2086 # the XML paths hold no spaces
    (ulimit -Sn 64 && exec timeout 120 "$PVCTL" run $xmls) >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
    expect_rc 0
    expect_out "h$N| Hello from pvhv domain $N!"
    expect_err "pvctl: h$N (id $N): poweroff"
else
    echo "note: hard RLIMIT_NOFILE $hard: the soft limit cannot be raised past 64"
fi

# A hard limit too low for the kernels pvctl holds open: at load time, on
# a kernel (or an XML file, where the test harness holds more descriptors).
# shellcheck disable=SC2086
(ulimit -n 18 && exec timeout 120 "$PVCTL" run $xmls) >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
expect_rc 3
expect_err ": cannot "
expect_err ": too many open files (pvctl's limit, RLIMIT_NOFILE, is 18, the hard limit; raise it with ulimit -Hn or LimitNOFILE=)"
# Too low for the domains' own descriptors: when a domain is made.
# shellcheck disable=SC2086
(ulimit -n 40 && exec timeout 120 "$PVCTL" run $xmls) >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
expect_rc 3
expect_err "too many open files (pvctl's limit, RLIMIT_NOFILE, is 40, the hard limit"
[ ! -s "$TMP/out" ] || fail "a domain ran: $(cat "$TMP/out")"

# Memory. 64 TiB is past what any domain may have; 1 TiB past this host
# (unless it has that much); MemTotal is more than is available, but fits.
x=$(domain_xml huge "$HELLO" 4096)
sed -i "s|<memory unit='KiB'>4096</memory>|<memory unit='TiB'>64</memory>|" "$x"
run_pvctl run "$x"
expect_rc 2
expect_err "$x:3: <memory unit='TiB'>: '64' is out of range; allowed: 1 byte to 1 TiB"

kib() {
    awk -v k="$1" '$1 == k ":" { print $2 }' /proc/meminfo
}
total=$(kib MemTotal)
swap=$(kib SwapTotal)
if [ $((total + swap)) -lt $((1 << 30)) ]; then
    sed -i "s|<memory unit='TiB'>64</memory>|<memory unit='TiB'>1</memory>|" "$x"
    run_pvctl run "$x"
    expect_rc 2
    expect_err "$x:3: <memory>: 1 TiB is more than this host has: "
    expect_err " of RAM and "
    [ ! -s "$TMP/out" ] || fail "the domain ran: $(cat "$TMP/out")"
else
    echo "note: this host has 1 TiB of RAM and swap: the refusal is not tried"
fi

# All of the RAM, in 4 KiB pages: more than is available, yet it fits.
x=$(domain_xml most "$HELLO" $((total / 4 * 4)))
run_pvctl run "$x"
expect_rc 0
expect_err "$x:3: <memory>: warning: "
expect_err "is more than the host has available now ("
expect_out "Hello from pvhv domain 1!"
exit 0
