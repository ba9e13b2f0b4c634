# SPDX-License-Identifier: MIT
# The data plane: grants, PV block devices and vchan through real guests
# (tests/guests/blk_*, gnt_denied, vchan_*, bench_blk, examples/disk).
TESTS += integration/data_plane.sh integration/blk_async.sh
EXTRA_DIST += integration/data_plane.sh integration/blk_async.sh
