// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_CONST_CLASS: the driver core takes a const struct class (class
 * registration, device_create*(), device_destroy()); 6.1 takes it mutable
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/device.h>

static_assert(__same_type(&class_unregister, void (*)(const struct class *)));
