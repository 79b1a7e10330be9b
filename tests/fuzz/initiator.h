/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the fuzzer's single-purpose initiators (fused.c, xcopy.c) share:
 * their checks and counts, the options every one takes, and bringing up
 * an admin and an I/O queue on the fuzzer's connection code.
 */
#ifndef INITIATOR_H
#define INITIATOR_H

#include <stdbool.h>
#include <stdint.h>
#include "fuzz.h"

#define INI_MAX_BS	4096

extern int ini_passed, ini_failed;

/* Print "ok N - WHAT" or "not ok N - WHAT" and count it. */
void ini_check(bool ok, const char *what);

/* -a ADDR, -p PORT, -v: true if @ch was one of them. */
bool ini_common_opt(int ch, const char *arg);

/*
 * Connect @a (admin, enabled) and @io (I/O queue 1) as @id; Identify
 * Controller into @idctrl (4096 bytes); the block size of namespace
 * @nsid into *@bs (512 to INI_MAX_BS).  0, or -1 if anything failed.
 */
int ini_up(struct conn *a, struct conn *io, struct ctrl_id *id,
	   uint32_t nsid, uint8_t *idctrl, uint32_t *bs);

/* Close both queues, print "NAME: N passed, N failed"; the exit code. */
int ini_finish(const char *name, struct conn *a, struct conn *io);

#endif
