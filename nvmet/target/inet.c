// SPDX-License-Identifier: GPL-2.0-only
/*
 * IP addresses of ports, for the fabrics that listen on one (tcp, rdma).
 */
#include <linux/export.h>
#include <linux/inet.h>
#include <linux/string.h>

#include <nvmet/fabric.h>
#include <nvmet/nvmet.h>

/**
 * nvmet_port_inet_addr() - the socket address a port's attributes name
 * @port: the port, being enabled (its address attributes are frozen)
 * @addr: filled with the address and service
 *
 * Context: Process context; takes port->lock briefly.
 * Return: 0, or -EINVAL (with a pr_err naming the port) when the address
 * family is not ipv4 or ipv6 or the address or service do not parse.
 */
int nvmet_port_inet_addr(struct nvmet_port *port,
			 struct sockaddr_storage *addr)
{
	char traddr[NVMF_TRADDR_SIZE + 1], trsvcid[NVMF_TRSVCID_SIZE + 1];
	u16 portid;
	u8 adrfam;
	int af;

	mutex_lock(&port->lock);
	portid = le16_to_cpu(port->disc_addr.portid);
	adrfam = port->disc_addr.adrfam;
	memcpy(traddr, port->disc_addr.traddr, NVMF_TRADDR_SIZE);
	memcpy(trsvcid, port->disc_addr.trsvcid, NVMF_TRSVCID_SIZE);
	mutex_unlock(&port->lock);
	traddr[NVMF_TRADDR_SIZE] = '\0';
	trsvcid[NVMF_TRSVCID_SIZE] = '\0';

	switch (adrfam) {
	case NVMF_ADDR_FAMILY_IP4:
		af = AF_INET;
		break;
	case NVMF_ADDR_FAMILY_IP6:
		af = AF_INET6;
		break;
	default:
		pr_err("nvmet: port %u: address family %u is not ipv4 or ipv6\n",
		       portid, adrfam);
		return -EINVAL;
	}
	if (inet_pton_with_scope(&init_net, af, traddr, trsvcid, addr)) {
		pr_err("nvmet: port %u: malformed address %s service %s\n",
		       portid, traddr, trsvcid);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_port_inet_addr);
