#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that Documentation/netlink/spirec.yaml describes exactly what
uapi/linux/spirec.h defines and what the module does. The header and the
module's policies and op table (kmod/netlink-gen.c) are generated from the
spec (selftests/netlink-gen, whose --check fails when they are stale);
these checks read what is compiled, and what no generator writes:
- the same attribute sets, commands and values in the same order (header);
- every attribute the module puts (nla_put_*, nla_nest_start) has the
  spec's type; a u64 is put with its set's pad attribute;
- every operation: do/dump as the op table has doit/dumpit, the same flags
  (uns-admin-perm, admin-perm), the request attributes exactly those of its
  per-operation policy (none without one), each with the policy's type and
  the spec's checks (min, max, min-len, max-len) as its range;
- the reply attributes of each do/dump and the event's attributes exactly
  the top-level attributes its handler (and the static functions it calls)
  puts;
- every multicast group of the spec is in the module's own group table
  with GENL_MCAST_CAP_NET_ADMIN (which the generator cannot write).
Prints TAP; exit 1 on any mismatch.

--mutants: also checks that the comparison can fail: each of a few
one-line changes of the module or the spec (a flag, a type, a range, an
attribute of a reply, a request attribute) applied to a copy must make
some check fail."""
import os
import re
import shutil
import sys
import tempfile

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


# nla_put_* -> spec type
PUT_TYPES = {"nla_put_u8": "u8", "nla_put_u16": "u16", "nla_put_u32": "u32",
             "nla_put_u64_64bit": "u64", "nla_put": "binary",
             "nla_nest_start": "nest"}
# NLA_* policy type -> spec type
POLICY_TYPES = {"NLA_U8": "u8", "NLA_U16": "u16", "NLA_U32": "u32",
                "NLA_U64": "u64", "NLA_BINARY": "binary", "NLA_NESTED": "nest"}
# Values the policy's ranges are written with.
C_VALUES = {"AF_INET": 2, "AF_INET6": 10, "sizeof(struct in_addr)": 4,
            "sizeof(struct in6_addr)": 16}
FLAGS = {"GENL_UNS_ADMIN_PERM": "uns-admin-perm", "GENL_ADMIN_PERM": "admin-perm"}
# What a split op's flags say besides the spec's flags.
SPLIT_FLAGS = {"GENL_CMD_CAP_DO", "GENL_CMD_CAP_DUMP"}


def c_value(text):
    text = " ".join(text.split())
    return C_VALUES[text] if text in C_VALUES else int(text, 0)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def c_functions(text):
    """name -> body of every function defined in text (kernel style: the
    body starts with a line "{" and ends with a line "}")."""
    out = {}
    for m in re.finditer(r"^(?:static\s+)?[\w\s\*]+?\b(\w+)\(([^;{]*?)\)\s*\n\{\n(.*?)^\}\n",
                         text, re.S | re.M):
        out[m.group(1)] = m.group(3)
    return out


def reached(funcs, name, seen=None):
    """Bodies of name and of the file's functions it calls, transitively."""
    seen = set() if seen is None else seen
    if name in seen or name not in funcs:
        return ""
    seen.add(name)
    body = funcs[name]
    # Calls and functions passed as callbacks alike.
    for callee in re.findall(r"\b(\w+)\b", body):
        body += reached(funcs, callee, seen)
    return body


def top_level_split(text):
    """text split at the commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out if x.strip()]


def attr_name(prefix, name):
    return c_name(prefix, name)


def main(top=TOP, quiet=False):
    hdr = open(os.path.join(top, "uapi/linux/spirec.h")).read()
    nlc = strip_comments(open(os.path.join(top, "kmod/netlink.c")).read())
    gen = strip_comments(open(os.path.join(top, "kmod/netlink-gen.c")).read())
    spec = yaml.safe_load(open(os.path.join(top, "Documentation/netlink/spirec.yaml")))
    enums = c_enums(hdr)
    checks = []

    for aset, cenum in (("spirec", "spirec_attr"), ("stats", "spirec_stats_attr"),
                        ("peer", "spirec_peer_attr")):
        s = next(a for a in spec["attribute-sets"] if a["name"] == aset)
        names = [c_name(s["name-prefix"], a["name"]) for a in s["attributes"]]
        checks.append(("attribute set %s matches enum %s" % (aset, cenum),
                       names == enums.get(cenum), names, enums.get(cenum)))

    ops = spec["operations"]
    names = [c_name(ops["name-prefix"], o["name"]) for o in ops["list"]]
    if names[:1] != [c_name(ops["name-prefix"], "unspec")]:
        names.insert(0, c_name(ops["name-prefix"], "unspec"))
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

    # --- types of what the module puts --------------------------------
    sets = {a["name"]: a for a in spec["attribute-sets"]}
    by_c = {}   # C name -> (set, attribute)
    for aset in sets.values():
        for a in aset["attributes"]:
            by_c[c_name(aset["name-prefix"], a["name"])] = (aset, a)
    bad_types = []
    for m in re.finditer(r"\b(nla_put(?:_u8|_u16|_u32|_u64_64bit)?|nla_nest_start)\(\s*\w+,\s*(SPIREC_\w+)(\s*\+\s*\w+)?([^;]*?)\)",
                         nlc, re.S):
        func, cname, loop, rest = m.groups()
        if cname not in by_c:
            bad_types.append("%s: %s not in the spec" % (func, cname))
            continue
        aset, a = by_c[cname]
        want = PUT_TYPES[func]
        # "BASE + i": every attribute of the set from BASE on.
        targets = [a]
        if loop:
            names = [x["name"] for x in aset["attributes"]]
            targets = aset["attributes"][names.index(a["name"]):]
        for t in targets:
            if t["type"] != want:
                bad_types.append("%s(%s): spec type %s" %
                                 (func, c_name(aset["name-prefix"], t["name"]), t["type"]))
        if want == "u64":
            pad = re.search(r"(SPIREC_\w+)\s*$", rest.strip())
            pads = [c_name(aset["name-prefix"], x["name"])
                    for x in aset["attributes"] if x["type"] == "pad"]
            if not pad or pad.group(1) not in pads:
                bad_types.append("%s(%s): pad %s is not the set's pad %s" %
                                 (func, cname, pad and pad.group(1), pads))
    checks.append(("every attribute the module puts has the spec's type",
                   not bad_types, "", "; ".join(bad_types)))

    # --- operations: do/dump, flags, per-op request policy --------------
    funcs = c_functions(nlc)
    policies = {}
    for m in re.finditer(r"static const struct nla_policy (\w+)\[[^\]]*\]\s*=\s*\{(.*?)\n\};",
                         gen, re.S):
        entries = {}
        for item in top_level_split(m.group(2)):
            e = re.match(r"\[(SPIREC_\w+)\]\s*=\s*(.*)$", item, re.S)
            if e:
                entries[e.group(1)] = " ".join(e.group(2).split())
        policies[m.group(1)] = entries
    optable = {}
    ops_m = re.search(r"const struct genl_split_ops spirec_nl_ops\[\w*\]\s*=\s*\{(.*?)\n\};", gen, re.S)
    for blk in re.findall(r"\{(.*?)\}", ops_m.group(1) if ops_m else "", re.S):
        fields = dict((k, v.strip()) for k, v in re.findall(r"\.(\w+)\s*=\s*([^,]+),", blk))
        if "cmd" in fields:
            optable[fields["cmd"]] = fields
    oset = sets[next(o for o in ops["list"] if "attribute-set" in o)["attribute-set"]]
    for o in ops["list"]:
        cmd = c_name(ops["name-prefix"], o["name"])
        if not any(k in o for k in ("do", "dump", "event")):
            # A value only (unspec).
            checks.append(("operation %s: not in the op table" % o["name"],
                           cmd not in optable, None, optable.get(cmd)))
            continue
        if "event" in o:
            fill = [f for f, body in funcs.items()
                    if re.search(r"genlmsg_put\([^;]*\b%s\b" % cmd, body)]
            put = set()
            for f in fill:
                put |= set(re.findall(r"\b(?:nla_put\w*|nla_nest_start)\(\s*\w+,\s*(SPIREC_A_\w+)",
                                      reached(funcs, f)))
            want = set(c_name(oset["name-prefix"], a) for a in o["event"]["attributes"])
            checks.append(("event %s: attributes as the module puts them" % o["name"],
                           fill and put == want, sorted(want), sorted(put)))
            continue
        row = optable.get(cmd)
        if row is None:
            checks.append(("operation %s in the op table" % o["name"], False, cmd, None))
            continue
        has = set(k for k in ("do", "dump") if k in o)
        got = set(k for k, f in (("do", "doit"), ("dump", "dumpit")) if f in row)
        checks.append(("operation %s: do/dump" % o["name"], has == got, sorted(has), sorted(got)))
        yflags = sorted(o.get("flags", []))
        cflags = sorted(FLAGS.get(f.strip(), f.strip())
                        for f in row.get("flags", "").split("|")
                        if f.strip() and f.strip() not in SPLIT_FLAGS)
        checks.append(("operation %s: flags" % o["name"], yflags == cflags, yflags, cflags))
        req = set()
        for k in ("do", "dump"):
            req |= set((o.get(k) or {}).get("request", {}).get("attributes", []))
        want = set(c_name(oset["name-prefix"], a) for a in req)
        pol = policies.get(row.get("policy", ""), {})
        checks.append(("operation %s: request attributes = its policy's" % o["name"],
                       want == set(pol), sorted(want), sorted(pol)))
        bad = []
        for cname, entry in pol.items():
            _, a = by_c.get(cname, (None, {"type": "?"}))
            pm = re.match(r"NLA_POLICY_(RANGE|MAX|MIN)\((\w+)(?:,\s*(.*))?\)$", entry)
            # { .len = N, } (the generator's min-len) has no type:
            # NLA_UNSPEC, which strict validation refuses whole.
            if re.match(r"\{\s*\.len\s*=", entry):
                bad.append("%s: %s is NLA_UNSPEC, refused by strict validation" %
                           (cname, entry))
            ptype = POLICY_TYPES.get(pm.group(2) if pm else entry.strip("{} .=type,"), "?")
            if ptype != a["type"]:
                bad.append("%s: policy %s, spec %s" % (cname, ptype, a["type"]))
            ck = a.get("checks", {})
            lo = hi = None
            if pm and pm.group(1) == "RANGE":
                lo, hi = [c_value(x) for x in top_level_split(pm.group(3))]
            elif pm and pm.group(1) == "MAX":
                hi = c_value(pm.group(3))
            elif pm and pm.group(1) == "MIN":
                lo = c_value(pm.group(3))
            if a["type"] == "binary":
                spec_lo, spec_hi = ck.get("min-len"), ck.get("max-len")
            else:
                spec_lo, spec_hi = ck.get("min"), ck.get("max")
            if (lo, hi) != (spec_lo, spec_hi):
                bad.append("%s: policy range %s..%s, spec checks %s..%s" %
                           (cname, lo, hi, spec_lo, spec_hi))
        checks.append(("operation %s: request attribute types and checks" % o["name"],
                       not bad, "", "; ".join(bad)))
        for k, f in (("do", "doit"), ("dump", "dumpit")):
            if k not in o or f not in row:
                continue
            put = set(re.findall(r"\b(?:nla_put\w*|nla_nest_start)\(\s*\w+,\s*(SPIREC_A_\w+)",
                                 reached(funcs, row[f])))
            want = set(c_name(oset["name-prefix"], a)
                       for a in (o[k] or {}).get("reply", {}).get("attributes", []))
            checks.append(("operation %s: %s reply attributes as %s puts them" %
                           (o["name"], k, row[f]), put == want, sorted(want), sorted(put)))

    # --- multicast groups: the module's table, with the capability ---------
    hgen = open(os.path.join(top, "kmod/netlink-gen.h")).read()
    ids = re.search(r"enum\s*\{\s*((?:SPIREC_NLGRP_\w+,\s*)+)\};", hgen)
    ids = re.findall(r"SPIREC_NLGRP_\w+", ids.group(1)) if ids else []
    want = [c_name("spirec-nlgrp-", g["name"]) for g in spec["mcast-groups"]["list"]]
    grp_m = re.search(r"static const struct genl_multicast_group spirec_mcgrps\[\]\s*=\s*\{(.*?)\n\};",
                      nlc, re.S)
    got = []
    for gid, body in re.findall(r"\[(SPIREC_NLGRP_\w+)\]\s*=\s*\{(.*?)\}", grp_m.group(1) if grp_m else "", re.S):
        fields = dict((k, v.strip()) for k, v in re.findall(r"\.(\w+)\s*=\s*([^,]+),", body))
        if "GENL_MCAST_CAP_NET_ADMIN" in [f.strip() for f in fields.get("flags", "").split("|")]:
            got.append(gid)
    checks.append(("multicast groups: the module's table has each, with GENL_MCAST_CAP_NET_ADMIN",
                   want == ids == got, want, "generated %s, with the flag %s" % (ids, got)))

    bad = [c for c in checks if not c[1]]
    if quiet:
        return 1 if bad else 0
    mutants = MUTANTS if "--mutants" in sys.argv else []
    print("TAP version 13")
    print("1..%d" % (len(checks) + len(mutants)))
    n = 0
    for name, ok, spec_v, hdr_v in checks:
        n += 1
        if ok:
            print("ok %d - spec: %s" % (n, name))
        else:
            print("not ok %d - spec: %s" % (n, name))
            print("# spec: %s" % (spec_v,))
            print("# code: %s" % (hdr_v,))
    for path, old, new, what in mutants:
        n += 1
        caught = mutant_caught(top, path, old, new)
        print("%s %d - spec-check catches a mutant: %s" %
              ("ok" if caught else "not ok", n, what))
        bad += [] if caught else [what]
    return 1 if bad else 0


# (file, text, replacement, what): each must make a check fail.
MUTANTS = [
    ("kmod/netlink-gen.c", ".dumpit\t= spirec_nl_known_get_dumpit,\n\t\t.flags\t= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,",
     ".dumpit\t= spirec_nl_known_get_dumpit,\n\t\t.flags\t= GENL_CMD_CAP_DUMP,",
     "KNOWN_GET without GENL_UNS_ADMIN_PERM"),
    ("kmod/netlink-gen.c", "NLA_POLICY_MAX(NLA_U8, 128),\n};\n\n/* SPIREC_CMD_KNOWN_DEL",
     "NLA_POLICY_MAX(NLA_U8, 127),\n};\n\n/* SPIREC_CMD_KNOWN_DEL",
     "prefixlen range 0..127"),
    ("kmod/netlink-gen.c", "NLA_POLICY_RANGE(NLA_U16, 2, 10),\n\t[SPIREC_A_ADDR] = { .type = NLA_BINARY, },\n\t[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),\n};\n\n/* Ops",
     "NLA_POLICY_RANGE(NLA_U16, 2, 10),\n\t[SPIREC_A_ADDR] = { .len = 4, },\n\t[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),\n};\n\n/* Ops",
     "KNOWN_DEL address as NLA_UNSPEC (min-len)"),
    ("kmod/netlink-gen.c", "NLA_POLICY_RANGE(NLA_U16, 2, 10),\n\t[SPIREC_A_ADDR] = { .type = NLA_BINARY, },\n\t[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),\n};\n\n/* Ops",
     "NLA_POLICY_RANGE(NLA_U16, 2, 11),\n\t[SPIREC_A_ADDR] = { .type = NLA_BINARY, },\n\t[SPIREC_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),\n};\n\n/* Ops",
     "KNOWN_DEL family range 2..11"),
    ("kmod/netlink.c", "\t\t.flags\t= GENL_MCAST_CAP_NET_ADMIN,\n", "",
     "events group without GENL_MCAST_CAP_NET_ADMIN"),
    ("kmod/netlink.c", "nla_put_u32(skb, SPIREC_A_SPI,", "nla_put_u64_64bit(skb, SPIREC_A_SPI,",
     "SPI put as a u64"),
    ("kmod/netlink.c", "nla_put_u8(msg, SPIREC_A_LISTENERS, spirec_has_listeners(net)) ||\n", "",
     "GET_STATS reply without listeners"),
    ("Documentation/netlink/spirec.yaml", "attributes: [ family, addr, prefixlen ]\n    -\n      name: known-del",
     "attributes: [ family, addr ]\n    -\n      name: known-del",
     "KNOWN_ADD request without prefixlen in the spec"),
    ("Documentation/netlink/spirec.yaml", "          - live-sas\n", "",
     "event without live-sas in the spec"),
]


def mutant_caught(top, path, old, new):
    with tempfile.TemporaryDirectory() as tmp:
        for f in ("uapi/linux/spirec.h", "kmod/netlink.c", "kmod/netlink-gen.c",
                  "kmod/netlink-gen.h", "Documentation/netlink/spirec.yaml"):
            os.makedirs(os.path.dirname(os.path.join(tmp, f)), exist_ok=True)
            shutil.copy(os.path.join(top, f), os.path.join(tmp, f))
        text = open(os.path.join(tmp, path)).read()
        if text.count(old) != 1:
            return False        # the mutant no longer applies: fix MUTANTS
        open(os.path.join(tmp, path), "w").write(text.replace(old, new))
        return main(tmp, quiet=True) != 0


if __name__ == "__main__":
    sys.exit(main())
