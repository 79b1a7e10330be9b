// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-fcloop: module init and exit, and the control files of
 * /sys/class/fcloop/ctl, which take the in-tree fcloop's option strings:
 *
 *   add_local_port   wwnn=0x..,wwpn=0x..[,roles=N][,fcaddr=0x..]
 *   del_local_port   wwnn=0x..,wwpn=0x..
 *   add_remote_port  wwnn=0x..,wwpn=0x..,lpwwnn=0x..,lpwwpn=0x..
 *                    [,roles=N][,fcaddr=0x..]
 *   del_remote_port  wwnn=0x..,wwpn=0x..
 *   add_target_port  wwnn=0x..,wwpn=0x..[,fcaddr=0x..]
 *   del_target_port  wwnn=0x..,wwpn=0x..
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat-lib.h>

#include "fcloop.h"

/* Completes LSs and aborted commands outside the callers' contexts. */
struct workqueue_struct *fcloop_wq;

/**
 * struct fcloop_opts - the options of a control file write
 * @mask: FCLOOP_OPT_* seen
 * @wwnn: wwnn=
 * @wwpn: wwpn=
 * @lpwwnn: lpwwnn=
 * @lpwwpn: lpwwpn=
 * @roles: roles=
 * @fcaddr: fcaddr=
 */
struct fcloop_opts {
	unsigned int mask;
	u64 wwnn;
	u64 wwpn;
	u64 lpwwnn;
	u64 lpwwpn;
	u32 roles;
	u32 fcaddr;
};

#define FCLOOP_OPT_WWNN		BIT(0)
#define FCLOOP_OPT_WWPN		BIT(1)
#define FCLOOP_OPT_LPWWNN	BIT(2)
#define FCLOOP_OPT_LPWWPN	BIT(3)
#define FCLOOP_OPT_ROLES	BIT(4)
#define FCLOOP_OPT_FCADDR	BIT(5)
#define FCLOOP_OPT_NAMES	(FCLOOP_OPT_WWNN | FCLOOP_OPT_WWPN)
#define FCLOOP_OPT_LPNAMES	(FCLOOP_OPT_LPWWNN | FCLOOP_OPT_LPWWPN)

static int fcloop_parse_one(struct fcloop_opts *o, const char *key,
			    const char *val)
{
	static const struct {
		const char *key;
		unsigned int bit;
	} keys[] = {
		{ "wwnn", FCLOOP_OPT_WWNN }, { "wwpn", FCLOOP_OPT_WWPN },
		{ "lpwwnn", FCLOOP_OPT_LPWWNN }, { "lpwwpn", FCLOOP_OPT_LPWWPN },
		{ "roles", FCLOOP_OPT_ROLES }, { "fcaddr", FCLOOP_OPT_FCADDR },
	};
	u64 *names[] = { &o->wwnn, &o->wwpn, &o->lpwwnn, &o->lpwwpn };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		o->mask |= keys[i].bit;
		if (i < ARRAY_SIZE(names))
			return kstrtou64(val, 0, names[i]);
		if (keys[i].bit == FCLOOP_OPT_ROLES)
			return kstrtou32(val, 0, &o->roles);
		return kstrtou32(val, 16, &o->fcaddr);
	}
	return -EINVAL;
}

/* Parse "key=value,..." into @o; every key in @need must be there. */
static int fcloop_parse(const char *buf, struct fcloop_opts *o,
			unsigned int need, unsigned int allowed)
{
	char *s, *p, *tok;
	int ret = 0;

	memset(o, 0, sizeof(*o));
	s = kstrdup(buf, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	p = strim(s);
	while (!ret && (tok = strsep(&p, ",")) != NULL) {
		char *val;

		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val) {
			ret = -EINVAL;
			break;
		}
		*val++ = '\0';
		ret = fcloop_parse_one(o, tok, val);
	}
	kfree(s);
	if (!ret && ((o->mask & need) != need || (o->mask & ~allowed)))
		ret = -EINVAL;
	return ret;
}

static ssize_t add_local_port_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES, FCLOOP_OPT_NAMES |
			   FCLOOP_OPT_ROLES | FCLOOP_OPT_FCADDR);
	if (!ret)
		ret = fcloop_add_local_port(o.wwnn, o.wwpn, o.roles, o.fcaddr);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(add_local_port);

static ssize_t del_local_port_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES, FCLOOP_OPT_NAMES);
	if (!ret)
		ret = fcloop_del_local_port(o.wwnn, o.wwpn);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(del_local_port);

static ssize_t add_remote_port_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES | FCLOOP_OPT_LPNAMES,
			   FCLOOP_OPT_NAMES | FCLOOP_OPT_LPNAMES |
			   FCLOOP_OPT_ROLES | FCLOOP_OPT_FCADDR);
	if (!ret)
		ret = fcloop_add_remote_port(o.wwnn, o.wwpn, o.lpwwnn,
					     o.lpwwpn, o.roles, o.fcaddr);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(add_remote_port);

static ssize_t del_remote_port_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES, FCLOOP_OPT_NAMES);
	if (!ret)
		ret = fcloop_del_remote_port(o.wwnn, o.wwpn);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(del_remote_port);

static ssize_t add_target_port_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES, FCLOOP_OPT_NAMES |
			   FCLOOP_OPT_ROLES | FCLOOP_OPT_FCADDR);
	if (!ret)
		ret = fcloop_add_target_port(o.wwnn, o.wwpn, o.fcaddr);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(add_target_port);

static ssize_t del_target_port_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct fcloop_opts o;
	int ret;

	ret = fcloop_parse(buf, &o, FCLOOP_OPT_NAMES, FCLOOP_OPT_NAMES);
	if (!ret)
		ret = fcloop_del_target_port(o.wwnn, o.wwpn);
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(del_target_port);

static struct attribute *fcloop_ctl_attrs[] = {
	&dev_attr_add_local_port.attr,
	&dev_attr_del_local_port.attr,
	&dev_attr_add_remote_port.attr,
	&dev_attr_del_remote_port.attr,
	&dev_attr_add_target_port.attr,
	&dev_attr_del_target_port.attr,
	NULL,
};
ATTRIBUTE_GROUPS(fcloop_ctl);

static nvmet_class_const struct class fcloop_class = {
	.name = "fcloop",
};

static struct device *fcloop_ctl_dev;

static int __init fcloop_init(void)
{
	int ret;

	fcloop_templates_init();
	fcloop_wq = alloc_workqueue("fcloop_wq", WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	if (!fcloop_wq)
		return -ENOMEM;
	ret = class_register(&fcloop_class);
	if (ret)
		goto out_destroy_wq;
	fcloop_ctl_dev = device_create_with_groups(&fcloop_class, NULL,
						   MKDEV(0, 0), NULL,
						   fcloop_ctl_groups, "ctl");
	if (IS_ERR(fcloop_ctl_dev)) {
		ret = PTR_ERR(fcloop_ctl_dev);
		goto out_unregister_class;
	}
	return 0;

out_unregister_class:
	class_unregister(&fcloop_class);
out_destroy_wq:
	destroy_workqueue(fcloop_wq);
	return ret;
}

static void __exit fcloop_exit(void)
{
	device_destroy(&fcloop_class, MKDEV(0, 0));
	class_unregister(&fcloop_class);
	fcloop_del_all();
	flush_workqueue(fcloop_wq);
	destroy_workqueue(fcloop_wq);
}

module_init(fcloop_init);
module_exit(fcloop_exit);

MODULE_DESCRIPTION("nvmet-ng FC loopback LLDD for nvme-fc and nvmet-fc");
MODULE_LICENSE("GPL");
