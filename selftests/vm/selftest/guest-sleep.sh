#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job that never finishes in time: for the time-out test.
echo sleeping
sleep 3600
