#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that Documentation/netlink/spirec.yaml describes exactly what
uapi/linux/spirec.h defines: the same attribute sets, commands and values in
the same order. Prints TAP; exit 1 on any mismatch."""
import os
import re
import sys

import yaml

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def c_enums(text):
    """name -> list of enumerator names, in order, for every enum in text."""
    out = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)
        names = [e.split("=")[0].strip() for e in body.split(",")]
        out[m.group(1)] = [n for n in names if n and not n.startswith("__")]
    return out


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def main():
    hdr = open(os.path.join(TOP, "uapi/linux/spirec.h")).read()
    spec = yaml.safe_load(open(os.path.join(TOP, "Documentation/netlink/spirec.yaml")))
    enums = c_enums(hdr)
    checks = []

    for aset, cenum in (("spirec", "spirec_attr"), ("stats", "spirec_stats_attr"),
                        ("peer", "spirec_peer_attr")):
        s = next(a for a in spec["attribute-sets"] if a["name"] == aset)
        names = [c_name(s["name-prefix"], a["name"]) for a in s["attributes"]]
        checks.append(("attribute set %s matches enum %s" % (aset, cenum),
                       names == enums.get(cenum), names, enums.get(cenum)))

    ops = spec["operations"]
    names = [c_name(ops["name-prefix"], "unspec")]
    names += [c_name(ops["name-prefix"], o["name"]) for o in ops["list"]]
    checks.append(("operations match enum spirec_cmd", names == enums.get("spirec_cmd"),
                   names, enums.get("spirec_cmd")))

    enc = next(d for d in spec["definitions"] if d["name"] == "encap")
    names = [c_name(enc["name-prefix"], e["name"]) for e in enc["entries"]]
    checks.append(("enum encap matches enum spirec_encap",
                   names == enums.get("spirec_encap"), names, enums.get("spirec_encap")))

    kmax = next(d for d in spec["definitions"] if d["name"] == "known-max")["value"]
    m = re.search(r"#define\s+SPIREC_KNOWN_MAX\s+(\d+)", hdr)
    checks.append(("known-max matches SPIREC_KNOWN_MAX", m and int(m.group(1)) == kmax,
                   kmax, m and m.group(1)))

    grp = re.search(r'#define\s+SPIREC_MCGRP_EVENTS\s+"(\w+)"', hdr)
    checks.append(("multicast group name", grp and
                   [g["name"] for g in spec["mcast-groups"]["list"]] == [grp.group(1)],
                   spec["mcast-groups"], grp and grp.group(1)))
    fam = re.search(r'#define\s+SPIREC_GENL_NAME\s+"(\w+)"', hdr)
    checks.append(("family name", fam and fam.group(1) == spec["name"],
                   spec["name"], fam and fam.group(1)))

    print("TAP version 13")
    print("1..%d" % len(checks))
    bad = 0
    for i, (name, ok, spec_v, hdr_v) in enumerate(checks, 1):
        if ok:
            print("ok %d - spec: %s" % (i, name))
        else:
            bad += 1
            print("not ok %d - spec: %s" % (i, name))
            print("# yaml:   %s" % (spec_v,))
            print("# header: %s" % (hdr_v,))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
