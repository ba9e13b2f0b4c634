# SPDX-License-Identifier: MIT
# Guest output: console budget and preemption, log rate limit, whole lines.
# Hostile guests (tests/guests/console_*, log_flood, long_lines) run beside
# innocent domains in one pvctl run.
GUEST_OUTPUT_TESTS = \
	integration/log_limit.sh \
	integration/console_isolation.sh \
	integration/console_lines.sh
TESTS += $(GUEST_OUTPUT_TESTS)
EXTRA_DIST += $(GUEST_OUTPUT_TESTS)
