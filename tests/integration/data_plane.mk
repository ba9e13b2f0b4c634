# SPDX-License-Identifier: MIT
# The data plane: grants, PV block devices and vchan through real guests
# (tests/guests/blk_*, gnt_denied, vchan_*, bench_blk, examples/disk), one
# script per scenario in integration/data_plane/, each runnable alone:
#   make -C tests check TESTS=integration/data_plane/blk_rw.sh
DATA_PLANE_TESTS = \
	integration/data_plane/gnt_denied.sh \
	integration/data_plane/blk_rw.sh \
	integration/data_plane/blk_batch.sh \
	integration/data_plane/blk_names.sh \
	integration/data_plane/disk_example.sh \
	integration/data_plane/blk_readonly.sh \
	integration/data_plane/blk_errors.sh \
	integration/data_plane/blk_bench.sh \
	integration/data_plane/vchan.sh
TESTS += $(DATA_PLANE_TESTS)
EXTRA_DIST += $(DATA_PLANE_TESTS)
TESTS += integration/blk_async.sh
EXTRA_DIST += integration/blk_async.sh
