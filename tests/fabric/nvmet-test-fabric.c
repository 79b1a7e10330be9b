// SPDX-License-Identifier: GPL-2.0-only
/*
 * A fabric for tests and benchmarks: it serves no host, but it enables
 * and disables ports like a real one, taking as long as it is told to.
 *
 * Parameters:
 *   trtype             transport type to register for: loop (default),
 *                      tcp, rdma or fc; set at load time
 *   add_port_delay_ms  how long each add_port() sleeps (writable)
 *   add_port_error     if not 0, add_port() fails with -add_port_error
 *                      after its delay (writable)
 *   live_ports         ports this fabric serves now (read-only)
 *   add_port_calls     add_port() calls so far (read-only)
 *
 * Built by make check/run/bench, never installed (tests/fabric/).
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nvme.h>

#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

static char *trtype = "loop";
module_param(trtype, charp, 0444);
MODULE_PARM_DESC(trtype, "transport type: loop, tcp, rdma or fc");

static unsigned int add_port_delay_ms;
module_param(add_port_delay_ms, uint, 0644);
MODULE_PARM_DESC(add_port_delay_ms, "milliseconds each add_port() sleeps");

static int add_port_error;
module_param(add_port_error, int, 0644);
MODULE_PARM_DESC(add_port_error, "errno add_port() fails with, 0 for none");

static atomic_t nvmet_test_live_ports = ATOMIC_INIT(0);
static atomic_t nvmet_test_add_calls = ATOMIC_INIT(0);

static int nvmet_test_get_atomic(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops nvmet_test_atomic_ops = {
	.get = nvmet_test_get_atomic,
};

module_param_cb(live_ports, &nvmet_test_atomic_ops, &nvmet_test_live_ports,
		0444);
MODULE_PARM_DESC(live_ports, "ports served now");
module_param_cb(add_port_calls, &nvmet_test_atomic_ops,
		&nvmet_test_add_calls, 0444);
MODULE_PARM_DESC(add_port_calls, "add_port() calls so far");

static int nvmet_test_add_port(struct nvmet_port *port)
{
	int err = READ_ONCE(add_port_error);

	atomic_inc(&nvmet_test_add_calls);
	msleep(READ_ONCE(add_port_delay_ms));
	if (err)
		return -abs(err);
	atomic_inc(&nvmet_test_live_ports);
	return 0;
}

static void nvmet_test_remove_port(struct nvmet_port *port)
{
	atomic_dec(&nvmet_test_live_ports);
}

static struct nvmet_fabric_ops nvmet_test_fabric_ops = {
	.name		= "test",
	.owner		= THIS_MODULE,
	.add_port	= nvmet_test_add_port,
	.remove_port	= nvmet_test_remove_port,
};

static const struct nvmet_name_map nvmet_test_trtypes[] = {
	{ NVMF_TRTYPE_RDMA,	"rdma" },
	{ NVMF_TRTYPE_FC,	"fc" },
	{ NVMF_TRTYPE_TCP,	"tcp" },
	{ NVMF_TRTYPE_LOOP,	"loop" },
};

static int __init nvmet_test_fabric_init(void)
{
	u8 type;

	if (nvmet_parse_name(nvmet_test_trtypes,
			     ARRAY_SIZE(nvmet_test_trtypes), trtype, &type)) {
		pr_err("nvmet-test-fabric: unknown trtype '%s'\n", trtype);
		return -EINVAL;
	}
	nvmet_test_fabric_ops.type = type;
	return nvmet_register_fabric(&nvmet_test_fabric_ops);
}

static void __exit nvmet_test_fabric_exit(void)
{
	nvmet_unregister_fabric(&nvmet_test_fabric_ops);
}

module_init(nvmet_test_fabric_init);
module_exit(nvmet_test_fabric_exit);

MODULE_DESCRIPTION("nvmet-ng test fabric with a configurable add_port()");
MODULE_LICENSE("GPL");
