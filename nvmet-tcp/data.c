// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command data: walking a request's scatterlist in pieces a socket call
 * can take, and the CRC32C digests of NVMe/TCP.
 *
 * A digest is the CRC32C (Castagnoli) of the bytes, seeded with ~0 and
 * inverted at the end, sent little-endian: what the crypto "crc32c"
 * algorithm the Linux host uses produces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32c.h>
#include <linux/net.h>
#include <linux/scatterlist.h>

#include <nvmet/compat-net.h>

#include "nvmet-tcp.h"

/**
 * nvmet_tcp_cursor_init() - point a cursor at an offset of a scatterlist
 * @cur: the cursor
 * @sgl: the scatterlist
 * @off: byte offset from the start of @sgl
 *
 * Context: Any context.
 */
void nvmet_tcp_cursor_init(struct nvmet_tcp_sg_cursor *cur,
			   struct scatterlist *sgl, u32 off)
{
	cur->sg = sgl;
	cur->off = 0;
	nvmet_tcp_cursor_advance(cur, off);
}

/**
 * nvmet_tcp_cursor_advance() - move a cursor forward
 * @cur: the cursor
 * @len: bytes to move over
 *
 * Context: Any context.
 */
void nvmet_tcp_cursor_advance(struct nvmet_tcp_sg_cursor *cur, u32 len)
{
	while (len && cur->sg) {
		u32 step = min(cur->sg->length - cur->off, len);

		cur->off += step;
		len -= step;
		if (cur->off == cur->sg->length) {
			cur->sg = sg_next(cur->sg);
			cur->off = 0;
		}
	}
}

/**
 * nvmet_tcp_cursor_map() - describe the next bytes at a cursor as bio_vecs
 * @cur: the cursor, left where it is
 * @left: bytes wanted
 * @bvec: NVMET_TCP_MAX_BVEC entries to fill
 * @len: set to the bytes the filled entries cover, at most @left
 * @splice: set to whether every page may be spliced into an skb
 *
 * Context: Any context.
 * Return: the number of entries filled; 0 if the scatterlist ended first.
 */
unsigned int nvmet_tcp_cursor_map(const struct nvmet_tcp_sg_cursor *cur,
				  u32 left, struct bio_vec *bvec,
				  size_t *len, bool *splice)
{
	struct scatterlist *sg = cur->sg;
	u32 off = cur->off;
	unsigned int nr = 0;

	*len = 0;
	*splice = true;
	while (sg && left && nr < NVMET_TCP_MAX_BVEC) {
		u32 step = min(sg->length - off, left);

		bvec_set_page(&bvec[nr++], sg_page(sg), step, sg->offset + off);
		if (!sendpages_ok(sg_page(sg), step, sg->offset + off))
			*splice = false;
		*len += step;
		left -= step;
		sg = sg_next(sg);
		off = 0;
	}
	return nr;
}

/**
 * nvmet_tcp_digest() - the NVMe/TCP digest of a buffer
 * @buf: the bytes
 * @len: how many
 *
 * Context: Any context.
 * Return: the digest as it goes on the wire.
 */
__le32 nvmet_tcp_digest(const void *buf, size_t len)
{
	return cpu_to_le32(~crc32c(~0, buf, len));
}

/**
 * nvmet_tcp_sg_digest() - the NVMe/TCP digest of part of a request's data
 * @req: the request; its scatterlist holds at least @off + @len bytes
 * @off: where the part starts
 * @len: its length
 *
 * Context: Any context.
 * Return: the digest as it goes on the wire.
 */
__le32 nvmet_tcp_sg_digest(struct nvmet_req *req, u32 off, u32 len)
{
	struct sg_mapping_iter miter;
	u32 crc = ~0;

	sg_miter_start(&miter, req->sg, req->sg_cnt,
		       SG_MITER_ATOMIC | SG_MITER_FROM_SG);
	if (sg_miter_skip(&miter, off)) {
		while (len && sg_miter_next(&miter)) {
			u32 step = min_t(size_t, miter.length, len);

			crc = crc32c(crc, miter.addr, step);
			len -= step;
		}
	}
	sg_miter_stop(&miter);
	WARN_ON_ONCE(len);
	return cpu_to_le32(~crc);
}
