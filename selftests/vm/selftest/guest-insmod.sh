#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job: insmod the module $1 and succeed if it loaded.
insmod "$1" && echo "loaded $1"
