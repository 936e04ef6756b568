#!/usr/bin/env python3
"""Keeps, of a Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json), the definitions of the
given kinds and every definition they refer to, unchanged. Usage:
    prune-definitions.py swagger.json group/version/Kind ... > definitions.json
(the core group is written as an empty group: /v1/Service)."""
import json
import sys


def refs(node, out):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            out.add(ref[len("#/definitions/"):])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def main():
    spec = json.load(open(sys.argv[1]))
    defs = spec["definitions"]
    wanted = set(sys.argv[2:])
    roots = set()
    for name, d in defs.items():
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            if "%s/%s/%s" % (gvk["group"], gvk["version"], gvk["kind"]) in wanted:
                roots.add(name)
                wanted.discard("%s/%s/%s" % (gvk["group"], gvk["version"], gvk["kind"]))
    if wanted:
        sys.exit("not in the document: %s" % sorted(wanted))
    keep, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        found = set()
        refs(defs[name], found)
        todo.extend(found - keep)
    json.dump({"definitions": {n: defs[n] for n in sorted(keep)}}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
