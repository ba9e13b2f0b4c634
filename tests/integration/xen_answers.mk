# SPDX-License-Identifier: MIT
# Xen's answers: test guests written against Xen's published ABI, each
# beside innocent domains in one pvctl run (tests/guests/evtchn_fifo, ...).
XEN_ANSWERS_TESTS = \
	integration/xen_answers.sh \
	integration/balloon.sh \
	integration/linux_abi.sh \
	integration/vmcall.sh \
	integration/initrd.sh
TESTS += $(XEN_ANSWERS_TESTS)
EXTRA_DIST += $(XEN_ANSWERS_TESTS)
