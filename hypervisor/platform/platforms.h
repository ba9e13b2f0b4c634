/* SPDX-License-Identifier: MIT */
/* platforms.h: the platforms pvhv runs on, one row each (core/platform.h
 * says what a platform does). */
#ifndef PVHV_PLATFORM_PLATFORMS_H
#define PVHV_PLATFORM_PLATFORMS_H

#include "core/platform.h"

extern const struct platform_ops platform_kvm; /* platform/kvm/: /dev/kvm */

#endif /* PVHV_PLATFORM_PLATFORMS_H */
