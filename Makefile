# SPDX-License-Identifier: GPL-2.0-only
#
# nvmet-ng: the human entry point.  Kbuild is the kbuild entry point.
#
#   make            build the modules against KDIR (W=1)
#   make install    install them under /lib/modules/KVER/updates, run depmod
#   make check      install test dependencies, run every test lane
#   make run        install dependencies, boot the VM, show the target
#   make style      checkpatch --strict and kernel-doc on our sources
#
# KDIR defaults to the running kernel's build tree when it has one, else to
# the Debian 6.12 headers that scripts/deps.sh unpacks into the cache.

TOP		:= $(CURDIR)
VM_KVER		:= $(shell scripts/kver.sh KVER)
VM_KDIR		:= $(shell scripts/kver.sh NVMET_NG_KDIR)
RUN_KDIR	:= /lib/modules/$(shell uname -r)/build

ifneq ($(wildcard $(RUN_KDIR)/Makefile),)
KDIR		?= $(RUN_KDIR)
else
KDIR		?= $(VM_KDIR)
endif

# Our Kconfig symbols are not in the distribution's .config: pass them.
KCONFIG		:= CONFIG_NVMET_NG=m
KMAKE		= $(MAKE) -C $(KDIR) M=$(TOP) $(KCONFIG) W=1

.PHONY: all modules install clean deps check run bench style help

all: modules

modules:
	@test -f $(KDIR)/Makefile || { \
		echo "no kernel build tree at KDIR=$(KDIR)"; \
		echo "run 'make deps' (Debian 6.12 headers) or pass KDIR="; \
		exit 1; }
	$(KMAKE) modules

install: modules
	$(KMAKE) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(KERNELRELEASE),$(KERNELRELEASE),$(shell $(MAKE) -s -C $(KDIR) kernelrelease))

clean:
	$(MAKE) -C $(if $(wildcard $(KDIR)/Makefile),$(KDIR),$(VM_KDIR)) M=$(TOP) clean || true
	$(MAKE) -C tests/userspace clean

deps:
	scripts/deps.sh

# Every lane, against the Debian kernel the VM boots.
check: deps
	$(MAKE) KDIR=$(VM_KDIR) modules
	scripts/check.sh

run: deps
	$(MAKE) KDIR=$(VM_KDIR) modules
	tests/vm/run.sh demo

bench: deps
	$(MAKE) KDIR=$(VM_KDIR) modules
	tests/vm/run.sh bench

style:
	scripts/check-style.sh

help:
	@sed -n '3,13p' Makefile
