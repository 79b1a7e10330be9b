// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reservation state persistence (see pr_store.h): one file per namespace,
 * two slots at fixed offsets (pr_store_format.h), written in turn.
 *
 * A save writes the slot that does not hold the durable state, with the
 * next sequence number, in two flushed steps: first the registrants (and,
 * on the first save, the file's full size), then the header that makes
 * the slot valid.  Until the header is on disk the other slot is the
 * newest valid one, so a power loss at any moment leaves either the old
 * or the new state, never a mix; the CRC catches a torn slot.  No rename
 * is needed, so nothing here depends on vfs_rename()'s signature.
 *
 * The file is opened at enable and kept until disable (one struct file
 * per store): saves, which run in whatever context the command that
 * changed the state runs in, resolve no path.  A file that does not
 * exist yet is created by the first save, in the directory looked up at
 * enable (or at that save, if it did not exist then).  Kept open, the file
 * and its directory keep their file system mounted while the namespace
 * is enabled.  Documentation/design.md, "Reservation persistence", has
 * the whole argument.
 */
#include <linux/crc32.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/nvme.h>
#include <linux/overflow.h>
#include <linux/path.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/compat-lib.h>
#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include "pr_store.h"
#include "pr_store_format.h"

/* Where a namespace's file is when resv_state_path is empty. */
#define NVMET_PR_DEFAULT_DIR	"/var/lib/nvmet-ng"

/**
 * struct nvmet_pr_store - a namespace's state file, from enable to disable
 * @nqn: the subsystem's NQN, for the headers and the messages
 * @nsid: the namespace's ID
 * @path: the file's path, absolute
 * @slash: the last '/' in @path, before the file's name
 * @file: the file; NULL until the first save creates it
 * @dir: the file's directory, while @have_dir
 * @have_dir: @dir holds a reference
 * @buf: one slot's bytes, for load and save
 * @cur: the slot holding the durable state, -1 for none
 * @seq: its sequence number, 0 for none
 * @broken: a failed save could not be undone: every later save fails
 *
 * Everything belongs to the caller, which serialises saves and close
 * (pr_store.h); nothing here takes a lock.
 */
struct nvmet_pr_store {
	char nqn[NVMET_PR_NQN_LEN];
	u32 nsid;
	char *path;
	char *slash;
	struct file *file;
	struct path dir;
	bool have_dir;
	void *buf;
	int cur;
	u64 seq;
	bool broken;
};

enum nvmet_pr_slot_state {
	NVMET_PR_SLOT_EMPTY,	/* a header of zeroes: never written */
	NVMET_PR_SLOT_TORN,	/* not a complete slot: torn or corrupt */
	NVMET_PR_SLOT_VALID,
};

/**
 * struct nvmet_pr_slot - what the load found in one slot
 * @state: empty, torn or valid
 * @seq: a valid slot's sequence number
 * @why: why a slot is not valid, for the messages
 */
struct nvmet_pr_slot {
	enum nvmet_pr_slot_state state;
	u64 seq;
	const char *why;
};

static __printf(2, 3)
void nvmet_pr_err(const struct nvmet_pr_store *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("nvmet: subsystem %s namespace %u: reservation state file %s: %pV\n",
	       s->nqn, s->nsid, s->path, &vaf);
	va_end(args);
}

static __printf(2, 3)
void nvmet_pr_warn(const struct nvmet_pr_store *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("nvmet: subsystem %s namespace %u: reservation state file %s: %pV\n",
		s->nqn, s->nsid, s->path, &vaf);
	va_end(args);
}

struct nvmet_pr_image *nvmet_pr_image_alloc(u32 nr_regs)
{
	struct nvmet_pr_image *img;

	if (nr_regs > NVMET_PR_MAX_REGS)
		return NULL;
	img = kvzalloc(struct_size(img, regs, nr_regs), GFP_KERNEL);
	if (img) {
		img->nr_regs = nr_regs;
		img->holder = NVMET_PR_NO_HOLDER;
	}
	return img;
}

void nvmet_pr_image_free(struct nvmet_pr_image *img)
{
	kvfree(img);
}

/*
 * The rules a state obeys, for a slot read back (hostile input: the file
 * is anybody's who can write it) and for an image about to be saved (so
 * that a state the load would refuse is never written).
 */
static const char *nvmet_pr_state_invalid(u8 rtype, u32 holder, u32 nr_regs)
{
	if (nr_regs > NVMET_PR_MAX_REGS)
		return "more registrants than a namespace keeps";
	if (rtype > NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS)
		return "reservation type out of range";
	if (holder != NVMET_PR_NO_HOLDER && holder >= nr_regs)
		return "holder is not a registrant";
	if (!rtype && holder != NVMET_PR_NO_HOLDER)
		return "a holder but no reservation";
	if (rtype && !nr_regs)
		return "a reservation but no registrant";
	if (rtype && rtype < NVME_PR_WRITE_EXCLUSIVE_ALL_REGS &&
	    holder == NVMET_PR_NO_HOLDER)
		return "a reservation but no holder";
	return NULL;
}

/* CRC32 of a slot in @buf: its header up to @crc, then @len bytes. */
static u32 nvmet_pr_crc(const u8 *buf, u32 len)
{
	u32 crc;

	crc = crc32_le(~0U, buf, offsetof(struct nvmet_pr_disk_hdr, crc));
	crc = crc32_le(crc, buf + NVMET_PR_HDR_SIZE, len);
	return ~crc;
}

/* Read up to @len bytes at @pos: fewer only at the end of the file. */
static ssize_t nvmet_pr_read(struct file *file, void *buf, size_t len,
			     loff_t pos)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = kernel_read(file, buf + done, len - done, &pos);
		if (n < 0)
			return n;
		if (!n)
			break;
		done += n;
	}
	return done;
}

/* Write all of @len bytes at @pos. */
static int nvmet_pr_write(struct nvmet_pr_store *s, const void *buf,
			  size_t len, loff_t pos)
{
	ssize_t n;

	while (len) {
		n = kernel_write(s->file, buf, len, &pos);
		if (n < 0)
			return n;
		if (!n)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Read slot @i into s->buf and judge it.  Torn or corrupt is what a
 * checksum or a bound cannot vouch for; a slot whose checksum holds but
 * whose content is wrong (another namespace's, a holder that is not a
 * registrant) was written that way on purpose, and refuses the file.
 * Return: 0 with @sl filled, or a negative errno after a pr_err().
 */
static int nvmet_pr_check_slot(struct nvmet_pr_store *s, int i,
			       struct nvmet_pr_slot *sl)
{
	struct nvmet_pr_disk_hdr *h = s->buf;
	loff_t off = (loff_t)i * NVMET_PR_SLOT_SIZE;
	const char *why;
	u32 nr, len;
	ssize_t n;

	memset(sl, 0, sizeof(*sl));
	memset(h, 0, NVMET_PR_HDR_SIZE);
	n = nvmet_pr_read(s->file, h, NVMET_PR_HDR_SIZE, off);
	if (n < 0) {
		nvmet_pr_err(s, "cannot read slot %d: %zd", i, n);
		return n;
	}
	sl->state = NVMET_PR_SLOT_TORN;
	if (!memchr_inv(h, 0, NVMET_PR_HDR_SIZE)) {
		sl->state = NVMET_PR_SLOT_EMPTY;
		sl->why = "never written";
		return 0;
	}
	if (n < NVMET_PR_HDR_SIZE) {
		sl->why = "truncated";
		return 0;
	}
	if (le64_to_cpu(h->magic) != NVMET_PR_MAGIC) {
		sl->why = "bad magic";
		return 0;
	}
	if (le32_to_cpu(h->version) != NVMET_PR_VERSION) {
		nvmet_pr_err(s, "slot %d has format version %u, this module reads %u",
			     i, le32_to_cpu(h->version), NVMET_PR_VERSION);
		return -EBADMSG;
	}
	nr = le32_to_cpu(h->nr_regs);
	len = le32_to_cpu(h->length);
	/* A header is written whole (design.md): no tear makes this. */
	if (nr > NVMET_PR_MAX_REGS) {
		nvmet_pr_err(s, "slot %d claims %u registrants, more than %u",
			     i, nr, NVMET_PR_MAX_REGS);
		return -EBADMSG;
	}
	if (le32_to_cpu(h->hdr_size) != NVMET_PR_HDR_SIZE ||
	    len != nr * sizeof(struct nvmet_pr_disk_reg)) {
		sl->why = "bad header";
		return 0;
	}
	n = nvmet_pr_read(s->file, s->buf + NVMET_PR_HDR_SIZE, len,
			  off + NVMET_PR_HDR_SIZE);
	if (n < 0) {
		nvmet_pr_err(s, "cannot read slot %d: %zd", i, n);
		return n;
	}
	if ((size_t)n < len) {
		sl->why = "truncated";
		return 0;
	}
	if (nvmet_pr_crc(s->buf, len) != le32_to_cpu(h->crc)) {
		sl->why = "bad CRC";
		return 0;
	}
	/* The checksum holds: what follows is what a writer meant. */
	if (le32_to_cpu(h->nsid) != s->nsid ||
	    strncmp(h->subnqn, s->nqn, NVMET_PR_NQN_LEN)) {
		nvmet_pr_err(s, "belongs to subsystem %*pE namespace %u",
			     (int)strnlen(h->subnqn, NVMET_PR_NQN_LEN),
			     h->subnqn, le32_to_cpu(h->nsid));
		return -EINVAL;
	}
	why = nvmet_pr_state_invalid(h->rtype, le32_to_cpu(h->holder), nr);
	if (!why && h->ptpl > 1)
		why = "PTPL flag neither 0 nor 1";
	if (why) {
		nvmet_pr_err(s, "slot %d (holder %u of %u registrants, type %u): %s",
			     i, le32_to_cpu(h->holder), nr, h->rtype, why);
		return -EBADMSG;
	}
	sl->state = NVMET_PR_SLOT_VALID;
	sl->seq = le64_to_cpu(h->seq);
	return 0;
}

/* The image of the valid slot in s->buf; none if it has PTPL off. */
static int nvmet_pr_decode(struct nvmet_pr_store *s,
			   struct nvmet_pr_image **imgp)
{
	const struct nvmet_pr_disk_hdr *h = s->buf;
	const struct nvmet_pr_disk_reg *r = s->buf + NVMET_PR_HDR_SIZE;
	struct nvmet_pr_image *img;
	u32 i, nr = le32_to_cpu(h->nr_regs);

	if (!h->ptpl) {
		pr_info("nvmet: subsystem %s namespace %u: reservation state file %s: PTPL was turned off, nothing to restore\n",
			s->nqn, s->nsid, s->path);
		return 0;
	}
	img = nvmet_pr_image_alloc(nr);
	if (!img)
		return -ENOMEM;
	img->generation = le32_to_cpu(h->generation);
	img->rtype = h->rtype;
	img->ptpl = true;
	img->holder = le32_to_cpu(h->holder);
	for (i = 0; i < nr; i++) {
		memcpy(img->regs[i].hostid, r[i].hostid, sizeof(r[i].hostid));
		img->regs[i].rkey = le64_to_cpu(r[i].rkey);
	}
	pr_info("nvmet: subsystem %s namespace %u: reservation state file %s: restored %u registrant(s), reservation type %u, generation %u (slot %d, sequence %llu)\n",
		s->nqn, s->nsid, s->path, nr, img->rtype, img->generation,
		s->cur, s->seq);
	*imgp = img;
	return 0;
}

/* Read the state of an open file: the newest valid slot, if any. */
static int nvmet_pr_load(struct nvmet_pr_store *s,
			 struct nvmet_pr_image **imgp)
{
	struct nvmet_pr_slot sl[NVMET_PR_NR_SLOTS];
	loff_t size = i_size_read(file_inode(s->file));
	int i, best = -1, ret;

	if (!S_ISREG(file_inode(s->file)->i_mode)) {
		nvmet_pr_err(s, "not a regular file");
		return -EINVAL;
	}
	if (size > NVMET_PR_FILE_SIZE) {
		nvmet_pr_err(s, "%lld bytes: not a reservation state file (%d bytes)",
			     size, NVMET_PR_FILE_SIZE);
		return -EBADMSG;
	}
	for (i = 0; i < NVMET_PR_NR_SLOTS; i++) {
		ret = nvmet_pr_check_slot(s, i, &sl[i]);
		if (ret)
			return ret;
	}
	if (sl[0].state == NVMET_PR_SLOT_EMPTY &&
	    sl[1].state == NVMET_PR_SLOT_EMPTY) {
		/* Created by a first save that did not finish. */
		if (size)
			nvmet_pr_warn(s, "no slot was ever completed: nothing to restore");
		return 0;
	}
	if (size < NVMET_PR_FILE_SIZE) {
		nvmet_pr_err(s, "truncated to %lld of its %d bytes", size,
			     NVMET_PR_FILE_SIZE);
		return -EBADMSG;
	}
	for (i = 0; i < NVMET_PR_NR_SLOTS; i++)
		if (sl[i].state == NVMET_PR_SLOT_VALID &&
		    (best < 0 || sl[i].seq > sl[best].seq))
			best = i;
	if (best < 0) {
		nvmet_pr_err(s, "corrupt, no valid slot (slot 0: %s, slot 1: %s)",
			     sl[0].why, sl[1].why);
		return -EBADMSG;
	}
	if (sl[!best].state == NVMET_PR_SLOT_TORN)
		nvmet_pr_warn(s, "slot %d is torn or corrupt (%s): restoring slot %d, sequence %llu",
			      !best, sl[!best].why, best, sl[best].seq);
	/* Read the chosen slot back into s->buf. */
	ret = nvmet_pr_check_slot(s, best, &sl[best]);
	if (ret)
		return ret;
	if (sl[best].state != NVMET_PR_SLOT_VALID) {
		nvmet_pr_err(s, "changed while being read");
		return -EBADMSG;
	}
	s->cur = best;
	s->seq = sl[best].seq;
	return nvmet_pr_decode(s, imgp);
}

/* Look the file's directory up, once. */
static int nvmet_pr_get_dir(struct nvmet_pr_store *s)
{
	int ret;

	if (s->have_dir)
		return 0;
	if (s->slash == s->path) {
		ret = kern_path("/", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &s->dir);
	} else {
		*s->slash = '\0';
		ret = kern_path(s->path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&s->dir);
		*s->slash = '/';
	}
	s->have_dir = !ret;
	return ret;
}

/* The first save: create the file, which must not exist yet. */
static int nvmet_pr_create(struct nvmet_pr_store *s)
{
	struct file *file;
	int ret;

	ret = nvmet_pr_get_dir(s);
	if (ret) {
		nvmet_pr_err(s, "cannot look up its directory (%d): create it, or set resv_state_path",
			     ret);
		return ret;
	}
	file = file_open_root(&s->dir, s->slash + 1,
			      O_RDWR | O_CREAT | O_EXCL | O_LARGEFILE, 0600);
	if (IS_ERR(file)) {
		nvmet_pr_err(s, "cannot create: %ld", PTR_ERR(file));
		return PTR_ERR(file);
	}
	s->file = file;
	return 0;
}

/* Make a new file's name durable in its directory. */
static int nvmet_pr_sync_dir(struct nvmet_pr_store *s)
{
	struct file *dir;
	int ret;

	dir = file_open_root(&s->dir, ".", O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	ret = vfs_fsync(dir, 0);
	fput(dir);
	return ret;
}

/* Encode @img into s->buf as the slot of sequence @seq; its length. */
static u32 nvmet_pr_encode(struct nvmet_pr_store *s,
			   const struct nvmet_pr_image *img, u64 seq)
{
	struct nvmet_pr_disk_hdr *h = s->buf;
	struct nvmet_pr_disk_reg *r = s->buf + NVMET_PR_HDR_SIZE;
	u32 i, nr = img->ptpl ? img->nr_regs : 0;
	u32 len = nr * sizeof(*r);

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le64(NVMET_PR_MAGIC);
	h->version = cpu_to_le32(NVMET_PR_VERSION);
	h->hdr_size = cpu_to_le32(NVMET_PR_HDR_SIZE);
	h->seq = cpu_to_le64(seq);
	h->length = cpu_to_le32(len);
	h->nsid = cpu_to_le32(s->nsid);
	h->generation = cpu_to_le32(img->generation);
	/* PTPL off: only the record that it is off, no registrants. */
	h->holder = cpu_to_le32(img->ptpl ? img->holder : NVMET_PR_NO_HOLDER);
	h->nr_regs = cpu_to_le32(nr);
	h->rtype = img->ptpl ? img->rtype : 0;
	h->ptpl = img->ptpl;
	strscpy(h->subnqn, s->nqn, sizeof(h->subnqn));
	for (i = 0; i < nr; i++) {
		memcpy(r[i].hostid, img->regs[i].hostid, sizeof(r[i].hostid));
		r[i].rkey = cpu_to_le64(img->regs[i].rkey);
	}
	h->crc = cpu_to_le32(nvmet_pr_crc(s->buf, len));
	return len;
}

/*
 * A save failed after writing to @slot: make that slot empty again, so
 * that the state it may partly hold never wins over the durable one.  If
 * that fails too, or a flush failed (the kernel may then have dropped
 * pages it could not write, and a later flush would not say so), nothing
 * more is known of what is on the disk: refuse every later save.
 */
static void nvmet_pr_undo(struct nvmet_pr_store *s, int slot, bool flush_failed)
{
	loff_t off = (loff_t)slot * NVMET_PR_SLOT_SIZE;

	memset(s->buf, 0, NVMET_PR_HDR_SIZE);
	if (nvmet_pr_write(s, s->buf, NVMET_PR_HDR_SIZE, off) ||
	    vfs_fsync(s->file, 0) || flush_failed) {
		s->broken = true;
		nvmet_pr_err(s, "cannot tell what a failed save left on disk: no more saves until the namespace is disabled");
	}
}

int nvmet_pr_store_save(struct nvmet_pr_store *s,
			const struct nvmet_pr_image *img)
{
	static const u8 zero;
	bool created = false, flush_failed = false;
	int slot, ret;
	const char *why;
	loff_t off;
	u32 len;

	if (s->broken)
		return -EIO;
	if (img->ptpl) {
		why = nvmet_pr_state_invalid(img->rtype, img->holder,
					     img->nr_regs);
		if (why) {
			nvmet_pr_err(s, "refusing to save holder %u of %u registrants, type %u: %s",
				     img->holder, img->nr_regs, img->rtype, why);
			return -EINVAL;
		}
	} else if (!s->file) {
		/* Never persisted: there is nothing to turn off. */
		return 0;
	}
	if (!s->file) {
		ret = nvmet_pr_create(s);
		if (ret)
			return ret;
		created = true;
	}
	slot = s->cur < 0 ? 0 : !s->cur;
	off = (loff_t)slot * NVMET_PR_SLOT_SIZE;
	len = nvmet_pr_encode(s, img, s->seq + 1);

	/* 1: the registrants, and the whole file's size; flushed. */
	ret = nvmet_pr_write(s, s->buf + NVMET_PR_HDR_SIZE, len,
			     off + NVMET_PR_HDR_SIZE);
	if (!ret && i_size_read(file_inode(s->file)) < NVMET_PR_FILE_SIZE)
		ret = nvmet_pr_write(s, &zero, 1, NVMET_PR_FILE_SIZE - 1);
	if (!ret) {
		ret = vfs_fsync(s->file, 0);
		flush_failed = ret;
	}
	/* 2: the header, which makes the slot the newest valid one. */
	if (!ret)
		ret = nvmet_pr_write(s, s->buf, NVMET_PR_HDR_SIZE, off);
	if (!ret) {
		ret = vfs_fsync(s->file, 0);
		flush_failed = ret;
	}
	if (!ret && created) {
		ret = nvmet_pr_sync_dir(s);
		flush_failed = ret;
	}
	if (ret) {
		nvmet_pr_err(s, "cannot save slot %d: %d", slot, ret);
		nvmet_pr_undo(s, slot, flush_failed);
		return ret;
	}
	s->cur = slot;
	s->seq++;
	return 0;
}

static void nvmet_pr_store_free(struct nvmet_pr_store *s)
{
	if (s->file)
		fput(s->file);
	if (s->have_dir)
		path_put(&s->dir);
	kvfree(s->buf);
	kfree(s->path);
	kfree(s);
}

/* /var/lib/nvmet-ng/<NQN>-<NSID>.resv, '/' and other odd bytes as '_'. */
static char *nvmet_pr_default_path(const char *nqn, u32 nsid)
{
	char *path, *p;

	path = kasprintf(GFP_KERNEL, NVMET_PR_DEFAULT_DIR "/%s-%u.resv", nqn,
			 nsid);
	if (!path)
		return NULL;
	for (p = path + strlen(NVMET_PR_DEFAULT_DIR "/"); *p; p++)
		if (!isalnum(*p) && !strchr(".:-", *p))
			*p = '_';
	return path;
}

int nvmet_pr_store_open(struct nvmet_ns *ns, struct nvmet_pr_store **store,
			struct nvmet_pr_image **img)
{
	struct nvmet_pr_store *s;
	int ret;

	lockdep_assert_held(&ns->lock);
	*store = NULL;
	*img = NULL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	strscpy(s->nqn, ns->subsys->nqn, sizeof(s->nqn));
	s->nsid = ns->nsid;
	s->cur = -1;
	if (ns->resv_state_path)
		s->path = kstrdup(ns->resv_state_path, GFP_KERNEL);
	else
		s->path = nvmet_pr_default_path(s->nqn, s->nsid);
	s->buf = kvmalloc(NVMET_PR_SLOT_SIZE, GFP_KERNEL);
	if (!s->path || !s->buf) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* Absolute and not ending in '/' (nvmet_ns_set_resv_state_path()). */
	s->slash = strrchr(s->path, '/');

	s->file = filp_open(s->path, O_RDWR | O_LARGEFILE, 0);
	if (IS_ERR(s->file)) {
		ret = PTR_ERR(s->file);
		s->file = NULL;
		if (ret != -ENOENT) {
			nvmet_pr_err(s, "cannot open: %d", ret);
			goto out_free;
		}
		/*
		 * Nothing saved yet.  The directory is looked up now, in the
		 * administrator's context, if it exists; the first save
		 * fails if it still does not.
		 */
		nvmet_pr_get_dir(s);
		*store = s;
		return 0;
	}
	ret = nvmet_pr_load(s, img);
	if (ret)
		goto out_free;
	*store = s;
	return 0;

out_free:
	nvmet_pr_store_free(s);
	return ret;
}

void nvmet_pr_store_close(struct nvmet_pr_store *s)
{
	if (s)
		nvmet_pr_store_free(s);
}
