/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NVMe/TCP and NVMe command wire layouts, as the fuzzer builds and parses
 * them.  Defined here from the NVMe/TCP transport and NVMe base
 * specifications; the field offsets match the kernel's struct
 * nvme_tcp_*_pdu and struct nvme_command, which the static asserts check.
 */
#ifndef FUZZ_PROTO_H
#define FUZZ_PROTO_H

#include <stdint.h>

/* PDU types (byte 0 of every PDU) */
enum {
	PDU_ICREQ	= 0x00,
	PDU_ICRESP	= 0x01,
	PDU_H2C_TERM	= 0x02,
	PDU_C2H_TERM	= 0x03,
	PDU_CMD		= 0x04,
	PDU_RSP		= 0x05,
	PDU_H2C_DATA	= 0x06,
	PDU_C2H_DATA	= 0x07,
	PDU_R2T		= 0x09,
	PDU_TYPES	= 0x10,	/* counters are kept for types below this */
};

/* common header flags */
enum {
	F_HDGST		= 1 << 0,
	F_DDGST		= 1 << 1,
	F_LAST		= 1 << 2,
	F_SUCCESS	= 1 << 3,
};

/* ICReq DGST field */
enum {
	DGST_HDR	= 1 << 0,
	DGST_DATA	= 1 << 1,
};

/* header lengths of each PDU type */
enum {
	HLEN_IC		= 128,
	HLEN_TERM	= 24,
	HLEN_CMD	= 72,
	HLEN_RSP	= 24,
	HLEN_DATA	= 24,
	HLEN_R2T	= 24,
	DIGEST_LEN	= 4,
};

struct hdr {
	uint8_t type;
	uint8_t flags;
	uint8_t hlen;
	uint8_t pdo;
	uint32_t plen;		/* little-endian on the wire */
} __attribute__((packed));

struct ic_pdu {			/* ICReq and ICResp */
	struct hdr hdr;
	uint16_t pfv;
	uint8_t hpda_cpda;
	uint8_t digest;
	uint32_t maxr2t_maxdata;
	uint8_t rsvd[112];
} __attribute__((packed));

struct term_pdu {
	struct hdr hdr;
	uint16_t fes;
	uint16_t feil;
	uint16_t feiu;
	uint8_t rsvd[10];
} __attribute__((packed));

struct data_pdu {		/* H2CData, C2HData and R2T share this */
	struct hdr hdr;
	uint16_t cid;
	uint16_t ttag;
	uint32_t offset;
	uint32_t length;
	uint8_t rsvd[4];
} __attribute__((packed));

/* SGL descriptor: byte 15 is type << 4 | subtype */
struct sgl {
	uint64_t addr;
	uint32_t length;
	uint8_t rsvd[3];
	uint8_t type;
} __attribute__((packed));

enum {
	SGL_INCAPSULE	= 0x01,	/* data block, offset: in-capsule data */
	SGL_TRANSPORT	= 0x5a,	/* transport data block: data by R2T */
};

/* the 64-byte submission queue entry, generic view */
struct sqe {
	uint8_t opcode;
	uint8_t flags;
	uint16_t cid;
	uint32_t nsid;		/* fabrics commands: byte 4 is fctype */
	uint32_t cdw2;
	uint32_t cdw3;
	uint64_t mptr;
	struct sgl dptr;
	uint32_t cdw10;
	uint32_t cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
} __attribute__((packed));

struct cmd_pdu {
	struct hdr hdr;
	struct sqe sqe;
} __attribute__((packed));

struct cqe {
	uint32_t result;
	uint32_t rsvd;
	uint16_t sqhd;
	uint16_t sqid;
	uint16_t cid;
	uint16_t status;	/* bit 0 phase, bits 1..15 the status field */
} __attribute__((packed));

struct rsp_pdu {
	struct hdr hdr;
	struct cqe cqe;
} __attribute__((packed));

/* Fabrics: opcode 0x7f, fctype in byte 4 */
enum {
	OPC_FABRICS	= 0x7f,
	FCT_PROP_SET	= 0x00,
	FCT_CONNECT	= 0x01,
	FCT_PROP_GET	= 0x04,
	FCT_AUTH_SEND	= 0x05,
	FCT_AUTH_RECV	= 0x06,
	FCT_DISCONNECT	= 0x08,
};

/*
 * Connect: bytes 40..41 RECFMT, 42..43 QID, 44..45 SQSIZE, 46 CATTR,
 * 48..51 KATO, i.e. cdw10 = recfmt | qid << 16, cdw11 = sqsize | cattr << 16,
 * cdw12 = kato.  Property Set/Get: byte 40 ATTRIB (0: 4 bytes, 1: 8),
 * 44..47 OFFSET, 48..55 VALUE, i.e. cdw10 = attrib, cdw11 = offset,
 * cdw12/13 = value.
 */
struct connect_data {
	uint8_t hostid[16];
	uint16_t cntlid;
	uint8_t rsvd1[238];
	char subnqn[256];
	char hostnqn[256];
	uint8_t rsvd2[256];
} __attribute__((packed));

enum {
	PROP_CAP	= 0x00,
	PROP_VS		= 0x08,
	PROP_CC		= 0x14,
	PROP_CSTS	= 0x1c,
	/* CC: EN, IOSQES 6 (64 bytes), IOCQES 4 (16 bytes) */
	CC_ENABLE	= 0x00460001,
};

#define STATIC_ASSERT(c) _Static_assert(c, #c)
STATIC_ASSERT(sizeof(struct hdr) == 8);
STATIC_ASSERT(sizeof(struct ic_pdu) == HLEN_IC);
STATIC_ASSERT(sizeof(struct term_pdu) == HLEN_TERM);
STATIC_ASSERT(sizeof(struct data_pdu) == HLEN_DATA);
STATIC_ASSERT(sizeof(struct sqe) == 64);
STATIC_ASSERT(sizeof(struct cmd_pdu) == HLEN_CMD);
STATIC_ASSERT(sizeof(struct rsp_pdu) == HLEN_RSP);
STATIC_ASSERT(sizeof(struct connect_data) == 1024);

#endif /* FUZZ_PROTO_H */
