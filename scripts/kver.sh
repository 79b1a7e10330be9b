#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Print one variable of scripts/env.sh (default KVER) for the Makefile.
. "$(dirname "$0")/env.sh"
eval echo "\${${1:-KVER}}"
