# SPDX-License-Identifier: GPL-2.0-only
#
# nvmet-ng: the human entry point.  Kbuild is the kbuild entry point.
#
#   make            build the modules against KDIR (W=1)
#   make install    install them under /lib/modules/KVER/updates, run depmod
#   make check      install test dependencies, run every test lane
#   make debug-kernel  build the VM lane's debug kernel (cached) and our
#                   modules against it (scripts/debug-kernel.sh)
#   make run        install dependencies, boot the VM, show the target
#   make style      checkpatch --strict and kernel-doc on our sources
#   make dkms-install  register with dkms, build and install for every
#                   kernel with headers (or KERNEL=/KDIR= only)
#   make dkms-uninstall  take it out of dkms again (in-tree nvmet is back)
#   make deb        nvmet-ng-dkms_<version>_all.deb (scripts/deb.sh)
#   make dkms-check the package installed by apt and dkms in Debian build
#                   roots for 6.1, 6.12 and newest, and the VM smoke test
#                   with those modules on each (scripts/dkms-check.sh; not
#                   part of make check)
#
# KDIR defaults to the running kernel's build tree when it has one, else to
# the Debian 6.12 headers that scripts/deps.sh unpacks into the cache.
# KERNEL=6.1|6.12|newest builds against that Debian kernel of the cache
# (scripts/kernels.sh fetches 6.1 and newest) with its nvme host headers;
# newest builds inside the trixie build root (scripts/buildroot.sh), as
# Debian builds it with gcc-14.

TOP		:= $(CURDIR)
VM_KVER		:= $(shell scripts/kver.sh KVER)
VM_KDIR		:= $(shell scripts/kver.sh NVMET_NG_KDIR)
RUN_KDIR	:= /lib/modules/$(shell uname -r)/build

ifneq ($(KERNEL),)
kver_line	= $(shell NVMET_NG_KERNEL=$(KERNEL) scripts/kver.sh $(1))
KDIR		:= $(call kver_line,NVMET_NG_KDIR)
NVME_HOST_SRC	:= $(call kver_line,NVMET_NG_HOST_SRC)
BUILDROOT	:= $(call kver_line,NVMET_NG_BUILDROOT)
else ifneq ($(wildcard $(RUN_KDIR)/Makefile),)
KDIR		?= $(RUN_KDIR)
else
KDIR		?= $(VM_KDIR)
endif

# Our Kconfig symbols are not in the distribution's .config: pass them.
# TEST_FABRIC=1 adds the test fabric (tests/fabric/), which the test lanes
# and benchmarks use and make install leaves out.
#
# nvme-loop needs the NVMe host's private headers (drivers/nvme/host),
# which no headers package carries: NVME_HOST_SRC names them.  Against the
# Debian kernel of the VM they come from the matching linux-source in the
# cache; against another kernel pass NVME_HOST_SRC from that kernel's own
# source, or nvme-loop is left out (headers of another version would not
# match its structures).
ifeq ($(KDIR),$(VM_KDIR))
NVME_HOST_SRC	?= $(shell scripts/kver.sh NVMET_NG_SRC)/drivers/nvme/host
endif
LOOP_CONFIG	:= $(if $(wildcard $(NVME_HOST_SRC)/nvme.h),\
		   CONFIG_NVMET_NG_LOOP=m NVME_HOST_SRC=$(NVME_HOST_SRC))
KCONFIG		:= CONFIG_NVMET_NG=m CONFIG_NVMET_NG_TCP=m \
		   CONFIG_NVMET_NG_RDMA=m CONFIG_NVMET_NG_FC=m \
		   CONFIG_NVMET_NG_FCLOOP=m $(LOOP_CONFIG) \
		   $(if $(TEST_FABRIC),CONFIG_NVMET_NG_TEST_FABRIC=m)
KMAKE		= $(MAKE) -C $(KDIR) M=$(TOP) $(KCONFIG) W=1

.PHONY: all modules install clean deps check run bench style help debug-kernel

all: modules

modules:
	@test -f $(KDIR)/Makefile || { \
		echo "no kernel build tree at KDIR=$(KDIR)"; \
		echo "run 'make deps' (Debian 6.12 headers), 'scripts/kernels.sh $(KERNEL)'"; \
		echo "or pass KDIR="; \
		exit 1; }
ifneq ($(BUILDROOT),)
	+scripts/buildroot.sh run $(BUILDROOT) $(MAKE) KDIR=$(KDIR) \
		NVME_HOST_SRC=$(NVME_HOST_SRC) TEST_FABRIC=$(TEST_FABRIC) modules
else
	+$(KMAKE) modules
endif

install:
	@test -z "$(TEST_FABRIC)" || { echo "make install never installs the test fabric"; exit 1; }
	$(KMAKE) modules
	$(KMAKE) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(KERNELRELEASE),$(KERNELRELEASE),$(shell $(MAKE) -s -C $(KDIR) kernelrelease))

clean:
	$(MAKE) -C $(if $(wildcard $(KDIR)/Makefile),$(KDIR),$(VM_KDIR)) M=$(TOP) clean || true
	rm -rf .compat
	$(MAKE) -C tests/userspace clean

deps:
	scripts/deps.sh $(DEPS_EXTRA)

# Every lane, against the Debian kernel the VM boots; the vm-debug,
# vm-6.1 and vm-newest lanes build our modules for their kernels
# themselves (scripts/line-modules.sh), in copies of the checkout, and
# scripts/check.sh fetches the 6.1 and newest kernels (scripts/kernels.sh,
# as "scripts/deps.sh 6.1 newest" would) in the background while the 6.12
# lanes run.
# scripts/check.sh builds the modules itself, from clean.
check: deps
	scripts/check.sh

run: deps
	$(MAKE) KDIR=$(VM_KDIR) TEST_FABRIC=1 modules
	tests/vm/run.sh demo

# The seed's configfs scenario: N ports, each add_port() delayed D ms.
BENCH_DELAY_MS	?= 1000
BENCH_PORTS	?= 64

# The fio benchmarks' settings go to the guest only when given
# (BENCH_FIO_SECONDS; the fio matrix's BENCH_MATRIX_FABRICS, _JOBS and
# _SAMPLES, comma lists, the last two also 28-lio-fio's, and
# BENCH_MATRIX_PROFILE=1, its profile round; 28-lio-fio's
# BENCH_LIO_FABRICS; the scale bench's BENCH_SCALE_N and _REPS;
# 26-tcp-copy's BENCH_COPY_MB), each as the benchmark's own default
# otherwise.
BENCH_GUEST_VARS := BENCH_FIO_SECONDS BENCH_MATRIX_FABRICS BENCH_MATRIX_JOBS \
		    BENCH_MATRIX_SAMPLES BENCH_MATRIX_PROFILE BENCH_LIO_FABRICS \
		    BENCH_SCALE_N \
		    BENCH_SCALE_REPS BENCH_COPY_MB

bench: DEPS_EXTRA := bench
bench: deps
	$(MAKE) KDIR=$(VM_KDIR) TEST_FABRIC=1 modules
	$(MAKE) -C $(VM_KDIR) M=$(TOP)/tests/bench/intree-delay \
		INTREE_NVMET=$(shell scripts/kver.sh NVMET_NG_SRC)/drivers/nvme/target modules
	VM_ARGS="BENCH_DELAY_MS=$(BENCH_DELAY_MS) BENCH_PORTS=$(BENCH_PORTS) \
		$(foreach v,$(BENCH_GUEST_VARS),$(if $($(v)),$(v)=$($(v)))) \
		$(if $(BENCH_ONLY),benches=$(BENCH_ONLY))" \
		tests/vm/run.sh bench

debug-kernel: deps
	scripts/debug-kernel.sh modules

style:
	scripts/check-style.sh

help:
	@sed -n '3,/^$$/p' Makefile

# DKMS: dkms.conf, dkms/ and scripts/deb.sh; the version is VERSION's.
# dkms-install builds for every kernel under /lib/modules with headers, or,
# given KERNEL= or KDIR=, for that kernel only, against that directory.
NG_VERSION	:= $(shell cat $(TOP)/VERSION)
DKMS_SRC	= $(DESTDIR)/usr/src/nvmet-ng-$(NG_VERSION)
DKMS_FORCE	= $(DESTDIR)/usr/share/dkms/modules_to_force_install/nvmet-ng
DKMS_KDIR	= $(if $(or $(KERNEL),$(filter command line,$(origin KDIR))),$(KDIR))
DKMS_ONE	= $(if $(DKMS_KDIR),$(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
			$(KDIR)/include/generated/utsrelease.h 2>/dev/null) $(KDIR))

.PHONY: dkms-install dkms-uninstall deb dkms-check

dkms-install: dkms-uninstall
	@test -z "$(DKMS_KDIR)" -o -f "$(KDIR)/include/generated/utsrelease.h" || { \
		echo "no kernel headers at KDIR=$(KDIR)"; exit 1; }
	scripts/deb.sh src $(DKMS_SRC)
	install -D -m 644 dkms/modules_to_force_install $(DKMS_FORCE)
	sh $(DKMS_SRC)/dkms/setup.sh install $(NG_VERSION) $(DKMS_ONE)

dkms-uninstall:
	sh dkms/setup.sh remove $(NG_VERSION)
	rm -rf $(DKMS_SRC) $(DKMS_FORCE)

deb:
	scripts/deb.sh deb $(TOP)

# The lines of DKMS_KERNELS (default all three) are fetched first, as make
# check fetches them; make check leaves this out for its time budget.
DKMS_KERNELS	?= 6.1 6.12 newest
dkms-check: deps
	$(if $(filter-out 6.12,$(DKMS_KERNELS)),scripts/kernels.sh $(filter-out 6.12,$(DKMS_KERNELS)))
	DKMS_KERNELS="$(DKMS_KERNELS)" scripts/dkms-check.sh
