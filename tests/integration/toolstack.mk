# SPDX-License-Identifier: MIT
# pvctl run with several domains, and its signals: real guests, real KVM.
PVCTL_RUN_TESTS = \
	integration/pvctl_multi.sh \
	integration/pvctl_multi_xenstore.sh \
	integration/pvctl_signal.sh
TESTS += $(PVCTL_RUN_TESTS)
EXTRA_DIST += $(PVCTL_RUN_TESTS)
