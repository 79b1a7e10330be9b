// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcmu-file: a minimal TCMU handler for the VM tests, serving one
 * target_core_user backstore from a regular file.
 *
 *   tcmu-file UIO FILE BLOCK_SIZE
 *
 * UIO is the backstore's /dev/uioN (its /sys/class/uio/uioN/name is
 * "tcm-user/<hba>/<name>/<dev_config>").  The handler maps the device's
 * shared area (mailbox, command ring, data area: <linux/target_core_user.h>)
 * and serves the commands target-core passes through: TEST UNIT READY,
 * INQUIRY (the standard data and VPD page 00h), READ CAPACITY (10) and
 * (16), MODE SENSE (6) and (10) (a header, no pages), READ and WRITE
 * (6), (10), (16) (WRITE's FUA as fdatasync), SYNCHRONIZE CACHE (10) and
 * (16).  Anything else is CHECK CONDITION, ILLEGAL REQUEST, INVALID
 * COMMAND OPERATION CODE.  It completes in ring order, one batch per
 * wakeup, and runs until killed.  Debian's tcmu-runner 1.5.4 has no
 * handler for a plain file (only file_optical, file_zbc, qcow, rbd), so
 * the tests carry this one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/target_core_user.h>

#define SAM_GOOD		0x00
#define SAM_CHECK_CONDITION	0x02
#define KEY_ILLEGAL_REQUEST	0x05
#define KEY_MEDIUM_ERROR	0x03
#define ASC_INVALID_OPCODE	0x20
#define ASC_LBA_OUT_OF_RANGE	0x21
#define ASC_INVALID_FIELD_CDB	0x24
#define ASC_UNRECOVERED_READ	0x11
#define ASC_WRITE_ERROR		0x0c

struct dev {
	int uio;
	int fd;
	__u8 *map;
	size_t map_size;
	__u32 bs;
	__u64 blocks;
};

static __u64 be(const __u8 *p, int n)
{
	__u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static void put_be(__u8 *p, __u64 v, int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

static __u8 sense(struct tcmu_cmd_entry *ent, __u8 key, __u8 asc)
{
	__u8 *s = (__u8 *)ent->rsp.sense_buffer;

	memset(s, 0, TCMU_SENSE_BUFFERSIZE);
	s[0] = 0x70;	/* current error, fixed format */
	s[2] = key;
	s[7] = 10;	/* additional sense length */
	s[12] = asc;
	return SAM_CHECK_CONDITION;
}

/* The command's iovec @i (the entry is packed: copied out, not pointed to). */
static struct iovec get_iov(const struct tcmu_cmd_entry *ent, __u32 i)
{
	struct iovec iov;

	memcpy(&iov, (const __u8 *)ent +
	       offsetof(struct tcmu_cmd_entry, req.iov) + i * sizeof(iov),
	       sizeof(iov));
	return iov;
}

/* Copy @len bytes of @buf into the command's data-in iovecs. */
static void to_iov(struct dev *d, struct tcmu_cmd_entry *ent,
		   const __u8 *buf, size_t len)
{
	__u32 i;

	for (i = 0; i < ent->req.iov_cnt && len; i++) {
		struct iovec iov = get_iov(ent, i);
		size_t n = iov.iov_len < len ? iov.iov_len : len;

		memcpy(d->map + (uintptr_t)iov.iov_base, buf, n);
		buf += n;
		len -= n;
	}
}

/* READ or WRITE of @nblk blocks at @lba between the file and the iovecs. */
static __u8 rw(struct dev *d, struct tcmu_cmd_entry *ent, int write,
	       __u64 lba, __u64 nblk, int fua)
{
	off_t off = lba * d->bs;
	__u32 i;

	if (lba > d->blocks || nblk > d->blocks - lba)
		return sense(ent, KEY_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	for (i = 0; i < ent->req.iov_cnt; i++) {
		struct iovec iov = get_iov(ent, i);
		__u8 *p = d->map + (uintptr_t)iov.iov_base;
		ssize_t n;

		if (write)
			n = pwrite(d->fd, p, iov.iov_len, off);
		else
			n = pread(d->fd, p, iov.iov_len, off);
		if (n != (ssize_t)iov.iov_len)
			return sense(ent, KEY_MEDIUM_ERROR,
				     write ? ASC_WRITE_ERROR : ASC_UNRECOVERED_READ);
		off += n;
	}
	if (write && fua && fdatasync(d->fd))
		return sense(ent, KEY_MEDIUM_ERROR, ASC_WRITE_ERROR);
	return SAM_GOOD;
}

static __u8 inquiry(struct dev *d, struct tcmu_cmd_entry *ent,
		    const __u8 *cdb)
{
	__u8 buf[36] = { 0 };
	size_t alloc = be(cdb + 3, 2);

	if (cdb[1] & 1) {		/* EVPD: page 00h only */
		if (cdb[2] != 0)
			return sense(ent, KEY_ILLEGAL_REQUEST,
				     ASC_INVALID_FIELD_CDB);
		buf[3] = 1;		/* page length */
		to_iov(d, ent, buf, alloc < 5 ? alloc : 5);
		return SAM_GOOD;
	}
	buf[2] = 5;			/* SPC-3 */
	buf[3] = 2;			/* response data format */
	buf[4] = sizeof(buf) - 5;
	buf[7] = 0x02;			/* CMDQUE */
	memcpy(buf + 8, "NVMETNG ", 8);
	memcpy(buf + 16, "TCMU-FILE       ", 16);
	memcpy(buf + 32, "0001", 4);
	to_iov(d, ent, buf, alloc < sizeof(buf) ? alloc : sizeof(buf));
	return SAM_GOOD;
}

static __u8 read_capacity(struct dev *d, struct tcmu_cmd_entry *ent,
			  int long_form, size_t alloc)
{
	__u8 buf[32] = { 0 };
	__u64 last = d->blocks - 1;

	if (!long_form) {
		put_be(buf, last > 0xffffffff ? 0xffffffff : last, 4);
		put_be(buf + 4, d->bs, 4);
		to_iov(d, ent, buf, 8);
		return SAM_GOOD;
	}
	put_be(buf, last, 8);
	put_be(buf + 8, d->bs, 4);
	to_iov(d, ent, buf, alloc < sizeof(buf) ? alloc : sizeof(buf));
	return SAM_GOOD;
}

static __u8 mode_sense(struct dev *d, struct tcmu_cmd_entry *ent,
		       int ten, size_t alloc)
{
	__u8 buf[8] = { 0 };
	size_t len = ten ? 8 : 4;

	if (ten)
		buf[1] = 6;		/* mode data length */
	else
		buf[0] = 3;
	to_iov(d, ent, buf, alloc < len ? alloc : len);
	return SAM_GOOD;
}

static __u8 execute(struct dev *d, struct tcmu_cmd_entry *ent)
{
	const __u8 *cdb = d->map + ent->req.cdb_off;

	switch (cdb[0]) {
	case 0x00:	/* TEST UNIT READY */
		return SAM_GOOD;
	case 0x12:	/* INQUIRY */
		return inquiry(d, ent, cdb);
	case 0x25:	/* READ CAPACITY (10) */
		return read_capacity(d, ent, 0, 8);
	case 0x9e:	/* SERVICE ACTION IN (16) */
		if ((cdb[1] & 0x1f) != 0x10)
			break;
		return read_capacity(d, ent, 1, be(cdb + 10, 4));
	case 0x1a:	/* MODE SENSE (6) */
		return mode_sense(d, ent, 0, cdb[4]);
	case 0x5a:	/* MODE SENSE (10) */
		return mode_sense(d, ent, 1, be(cdb + 7, 2));
	case 0x08:	/* READ (6); a length of 0 is 256 blocks */
	case 0x0a:	/* WRITE (6) */
		return rw(d, ent, cdb[0] == 0x0a, be(cdb + 1, 3) & 0x1fffff,
			  cdb[4] ? cdb[4] : 256, 0);
	case 0x28:	/* READ (10) */
	case 0x2a:	/* WRITE (10) */
		return rw(d, ent, cdb[0] == 0x2a, be(cdb + 2, 4),
			  be(cdb + 7, 2), cdb[1] & 0x08);
	case 0x88:	/* READ (16) */
	case 0x8a:	/* WRITE (16) */
		return rw(d, ent, cdb[0] == 0x8a, be(cdb + 2, 8),
			  be(cdb + 10, 4), cdb[1] & 0x08);
	case 0x35:	/* SYNCHRONIZE CACHE (10) */
	case 0x91:	/* SYNCHRONIZE CACHE (16) */
		if (fdatasync(d->fd))
			return sense(ent, KEY_MEDIUM_ERROR, ASC_WRITE_ERROR);
		return SAM_GOOD;
	}
	return sense(ent, KEY_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
}

/* Complete every entry between cmd_tail and cmd_head; 1 if any. */
static int drain_ring(struct dev *d)
{
	struct tcmu_mailbox *mb = (struct tcmu_mailbox *)d->map;
	__u8 *cmdr = d->map + mb->cmdr_off;
	__u32 head = __atomic_load_n(&mb->cmd_head, __ATOMIC_ACQUIRE);
	__u32 tail = mb->cmd_tail;
	int done = 0;

	while (tail != head) {
		struct tcmu_cmd_entry *ent = (void *)(cmdr + tail);
		__u32 len_op = ent->hdr.len_op;

		if (tcmu_hdr_get_op(len_op) == TCMU_OP_CMD)
			ent->rsp.scsi_status = execute(d, ent);
		/* TCMU_OP_PAD and TCMU_OP_TMR: nothing to answer */
		tail = (tail + tcmu_hdr_get_len(len_op)) % mb->cmdr_size;
		done = 1;
	}
	__atomic_store_n(&mb->cmd_tail, tail, __ATOMIC_RELEASE);
	return done;
}

static int map_size(const char *uio, size_t *size)
{
	const char *base = strrchr(uio, '/');
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map0/size",
		 base ? base + 1 : uio);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%zi", size) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct dev d = { 0 };
	struct stat st;
	__u32 one = 1, events;

	if (argc != 4) {
		fprintf(stderr, "usage: tcmu-file UIO FILE BLOCK_SIZE\n");
		return 2;
	}
	d.bs = strtoul(argv[3], NULL, 0);
	d.uio = open(argv[1], O_RDWR);
	d.fd = open(argv[2], O_RDWR);
	if (d.uio < 0 || d.fd < 0 || !d.bs || fstat(d.fd, &st) ||
	    map_size(argv[1], &d.map_size)) {
		perror("tcmu-file: open");
		return 1;
	}
	d.blocks = st.st_size / d.bs;
	d.map = mmap(NULL, d.map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		     d.uio, 0);
	if (d.map == MAP_FAILED) {
		perror("tcmu-file: mmap");
		return 1;
	}
	fprintf(stderr, "tcmu-file: %s on %s, %llu blocks of %u, ring version %u\n",
		argv[1], argv[2], (unsigned long long)d.blocks, d.bs,
		((struct tcmu_mailbox *)d.map)->version);
	for (;;) {
		/* tell target-core what completed, then wait for more */
		if (drain_ring(&d) && write(d.uio, &one, sizeof(one)) < 0)
			perror("tcmu-file: write");
		if (read(d.uio, &events, sizeof(events)) != sizeof(events) &&
		    errno != EINTR) {
			perror("tcmu-file: read");
			return 1;
		}
	}
}
