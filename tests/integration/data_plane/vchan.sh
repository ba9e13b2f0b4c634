#!/bin/sh
# SPDX-License-Identifier: MIT
# vchan.sh: two domains stream 1 MiB through vchan; both print the same checksum
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"

# Two domains stream 1 MiB through vchan; both print the same checksum.
s=$(domain_xml vchan_server "$G/vchan_server/vchan_server.elf" 4096 peer=vchan_client)
c=$(domain_xml vchan_client "$G/vchan_client/vchan_client.elf" 4096 peer=vchan_server)
run_pvctl run "$s" "$c"
expect_rc 0
expect_out "vchan_server| SUCCESS"
expect_out "vchan_client| SUCCESS"
sum_s=$(sed -n 's/^vchan_server| vchan_server: sent 1048576 bytes, checksum \([0-9a-f]*\).*/\1/p' "$TMP/out")
sum_c=$(sed -n 's/^vchan_client| vchan_client: received 1048576 bytes, checksum \([0-9a-f]*\).*/\1/p' "$TMP/out")
[ -n "$sum_s" ] && [ "$sum_s" = "$sum_c" ] ||
    fail "checksums differ: server '$sum_s', client '$sum_c': $(cat "$TMP/out")"
exit 0
