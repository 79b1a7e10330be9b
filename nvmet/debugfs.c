// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs, two trees:
 *
 * /sys/kernel/debug/nvmet-ng/objects: live object counts, one
 * "<type> <count>" line each, for leak checks after a teardown.
 *
 * /sys/kernel/debug/nvmet-ng/hosts: one "<host NQN> auth_failures=<n>"
 * line per host of configfs' hosts/, n its failed DH-HMAC-CHAP
 * transactions since its mkdir.
 *
 * /sys/kernel/debug/nvmet/: the in-tree target's layout, so its tools and
 * habits work: a directory per subsystem NQN (the discovery NQN for
 * discovery controllers) holding a directory ctrl<cntlid> per controller
 * with the in-tree files and formats:
 *   port         the port ID hosts see, "%d\n"
 *   hostnqn      the host NQN, without a newline (as in-tree)
 *   kato         keep-alive timeout in seconds, rounded up, "%d\n"
 *   state        CSTS bits set, "ready", "fatal", "reset", "shutdown",
 *                "completed", "paused" (another bit: its value) joined by
 *                "|", then "\n" (nothing when none); writing "fatal"
 *                raises a controller fatal error, as in-tree
 *   host_traddr  the host's address as the fabric reports it, "%s\n"
 * plus ours:
 *   stats        the controller's statistics (nvmet/target/stats.c)
 * Files are 0400 (state 0600), as in-tree.
 *
 * A subsystem's directory exists while it has controllers (in-tree: from
 * mkdir to rmdir), so no core object needs debugfs: controller creation
 * and release add and remove the directories under nvmet_debugfs_lock,
 * which nests inside nothing and is never taken on the I/O path.
 * debugfs_remove_recursive() waits for readers in a file's show, so the
 * controller is alive in every show below.
 */
#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <nvmet/nvmet.h>
#include "debugfs.h"
#include "target/ctrl.h"
#include "target/stats.h"

static struct dentry *nvmet_debugfs_dir;
static struct dentry *nvmet_debugfs_tree;
static struct dentry *nvmet_debugfs_disc;
/* Protects every subsystem's debugfs_dir and debugfs_ctrls. */
static DEFINE_MUTEX(nvmet_debugfs_lock);

static int nvmet_objects_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < NVMET_OBJ_NR; i++)
		seq_printf(m, "%s %d\n", nvmet_obj_name(i), nvmet_obj_count(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_objects);

static void nvmet_host_line(struct nvmet_host *host, void *data)
{
	struct seq_file *m = data;

	seq_printf(m, "%s auth_failures=%u\n", host->nqn,
		   atomic_read(&host->auth_failures));
}

static int nvmet_hosts_show(struct seq_file *m, void *unused)
{
	nvmet_hosts_walk_rcu(nvmet_host_line, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_hosts);

static int nvmet_ctrl_port_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;

	seq_printf(m, "%d\n", le16_to_cpu(ctrl->port->disc_addr.portid));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_ctrl_port);

static int nvmet_ctrl_hostnqn_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;

	seq_puts(m, ctrl->hostnqn);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_ctrl_hostnqn);

static int nvmet_ctrl_kato_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;

	seq_printf(m, "%d\n", (int)DIV_ROUND_UP(READ_ONCE(ctrl->kato), 1000));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_ctrl_kato);

static int nvmet_ctrl_host_traddr_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;

	seq_printf(m, "%s\n", ctrl->host_traddr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_ctrl_host_traddr);

static int nvmet_ctrl_stats_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;
	char *buf;
	int len;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = nvmet_stats_show(ctrl->stats, buf, PAGE_SIZE, true);
	seq_write(m, buf, len);
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvmet_ctrl_stats);

static const struct {
	u32 bit;
	const char *name;
} nvmet_csts_names[] = {
	{ NVME_CSTS_RDY,	"ready" },
	{ NVME_CSTS_CFS,	"fatal" },
	{ NVME_CSTS_SHST_OCCUR,	"shutdown" },
	{ NVME_CSTS_SHST_CMPLT,	"completed" },
	{ NVME_CSTS_NSSRO,	"reset" },
	{ NVME_CSTS_PP,		"paused" },
};

static int nvmet_ctrl_state_show(struct seq_file *m, void *unused)
{
	struct nvmet_ctrl *ctrl = m->private;
	u32 csts = READ_ONCE(ctrl->csts);
	const char *sep = "";
	unsigned int i, j;

	/* Bit by bit from the lowest, as in-tree prints them. */
	for (i = 0; i < 32; i++) {
		if (!(csts & BIT(i)))
			continue;
		for (j = 0; j < ARRAY_SIZE(nvmet_csts_names); j++)
			if (nvmet_csts_names[j].bit == BIT(i))
				break;
		if (j < ARRAY_SIZE(nvmet_csts_names))
			seq_printf(m, "%s%s", sep, nvmet_csts_names[j].name);
		else
			seq_printf(m, "%s%lu", sep, BIT(i));
		sep = "|";
	}
	if (*sep)
		seq_putc(m, '\n');
	return 0;
}

static int nvmet_ctrl_state_open(struct inode *inode, struct file *file)
{
	return single_open(file, nvmet_ctrl_state_show, inode->i_private);
}

static ssize_t nvmet_ctrl_state_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct nvmet_ctrl *ctrl =
		((struct seq_file *)file->private_data)->private;
	char buf[16];

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strncmp(buf, "fatal", 5))
		return -EINVAL;
	nvmet_ctrl_fatal_error(ctrl);
	return count;
}

static const struct file_operations nvmet_ctrl_state_fops = {
	.owner		= THIS_MODULE,
	.open		= nvmet_ctrl_state_open,
	.read		= seq_read,
	.write		= nvmet_ctrl_state_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static struct dentry *nvmet_debugfs_subsys_dir(struct nvmet_ctrl *ctrl)
	__must_hold(&nvmet_debugfs_lock)
{
	struct nvmet_subsys *subsys = ctrl->subsys;
	struct dentry *dir;

	lockdep_assert_held(&nvmet_debugfs_lock);
	if (!subsys)
		return nvmet_debugfs_disc;
	if (!subsys->debugfs_dir) {
		dir = debugfs_create_dir(subsys->nqn, nvmet_debugfs_tree);
		if (IS_ERR(dir))
			return NULL;
		subsys->debugfs_dir = dir;
	}
	return subsys->debugfs_dir;
}

/**
 * nvmet_debugfs_ctrl_add() - create nvmet/<NQN>/ctrl<cntlid>/
 * @ctrl: a controller just created, in its xarray
 *
 * Failure is not an error: debugfs is a debugging aid.
 *
 * Context: Process context; takes nvmet_debugfs_lock.
 */
void nvmet_debugfs_ctrl_add(struct nvmet_ctrl *ctrl)
{
	struct dentry *parent, *dir;
	char name[16];

	mutex_lock(&nvmet_debugfs_lock);
	parent = nvmet_debugfs_subsys_dir(ctrl);
	if (!parent)
		goto out_unlock;
	snprintf(name, sizeof(name), "ctrl%u", ctrl->cntlid);
	dir = debugfs_create_dir(name, parent);
	if (IS_ERR(dir))
		goto out_unlock;
	ctrl->debugfs_dir = dir;
	if (ctrl->subsys)
		ctrl->subsys->debugfs_ctrls++;
	debugfs_create_file("port", 0400, dir, ctrl, &nvmet_ctrl_port_fops);
	debugfs_create_file("hostnqn", 0400, dir, ctrl,
			    &nvmet_ctrl_hostnqn_fops);
	debugfs_create_file("kato", 0400, dir, ctrl, &nvmet_ctrl_kato_fops);
	debugfs_create_file("state", 0600, dir, ctrl, &nvmet_ctrl_state_fops);
	debugfs_create_file("host_traddr", 0400, dir, ctrl,
			    &nvmet_ctrl_host_traddr_fops);
	debugfs_create_file("stats", 0400, dir, ctrl, &nvmet_ctrl_stats_fops);
out_unlock:
	mutex_unlock(&nvmet_debugfs_lock);
}

/**
 * nvmet_debugfs_ctrl_remove() - remove a controller's directory
 * @ctrl: a controller being released
 *
 * Waits for readers of its files; the subsystem's directory goes with its
 * last controller.
 *
 * Context: Process context; takes nvmet_debugfs_lock.
 */
void nvmet_debugfs_ctrl_remove(struct nvmet_ctrl *ctrl)
{
	struct nvmet_subsys *subsys = ctrl->subsys;

	if (!ctrl->debugfs_dir)
		return;
	mutex_lock(&nvmet_debugfs_lock);
	debugfs_remove_recursive(ctrl->debugfs_dir);
	ctrl->debugfs_dir = NULL;
	if (subsys && !--subsys->debugfs_ctrls) {
		debugfs_remove_recursive(subsys->debugfs_dir);
		subsys->debugfs_dir = NULL;
	}
	mutex_unlock(&nvmet_debugfs_lock);
}

/**
 * nvmet_debugfs_init() - create /sys/kernel/debug/nvmet-ng/ and nvmet/
 *
 * Failure is not an error: debugfs is a debugging aid.
 *
 * Context: Process context, module init.
 */
void nvmet_debugfs_init(void)
{
	struct dentry *dir;

	nvmet_debugfs_dir = debugfs_create_dir("nvmet-ng", NULL);
	debugfs_create_file("objects", 0444, nvmet_debugfs_dir, NULL,
			    &nvmet_objects_fops);
	debugfs_create_file("hosts", 0400, nvmet_debugfs_dir, NULL,
			    &nvmet_hosts_fops);
	dir = debugfs_create_dir("nvmet", NULL);
	if (IS_ERR(dir))
		return;
	nvmet_debugfs_tree = dir;
	dir = debugfs_create_dir(NVMET_DISC_NQN, nvmet_debugfs_tree);
	nvmet_debugfs_disc = IS_ERR(dir) ? NULL : dir;
}

/**
 * nvmet_debugfs_exit() - remove /sys/kernel/debug/nvmet-ng/ and nvmet/
 *
 * Context: Process context, module exit (no controller is left).
 */
void nvmet_debugfs_exit(void)
{
	debugfs_remove_recursive(nvmet_debugfs_tree);
	debugfs_remove_recursive(nvmet_debugfs_dir);
}
