#!/usr/bin/env python3
"""Checks that every message, field and enum value kept in FunctionRpc.proto matches the upstream contract.

Usage: python3 check-against-upstream.py <folder holding upstream src/proto/FunctionRpc.proto and its imports>

The upstream file is Azure/azure-functions-language-worker-protobuf's src/proto/FunctionRpc.proto (it is not kept in
this repository). Both files are compiled with the protoc that Grpc.Tools brings (from the NuGet cache) into
descriptor sets; every field of ours (message path, name, number, label, type, type name, oneof) and every enum value
(name, number) must appear identically upstream. Prints what differs and exits 1, or prints a count and exits 0.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def protoc():
    tools = sorted(glob.glob(os.path.expanduser("~/.nuget/packages/grpc.tools/*/tools/linux_x64/protoc")))
    if not tools:
        sys.exit("protoc not found: restore tools/Aftercare.FunctionsHost first (it references Grpc.Tools).")
    include = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(tools[-1]))), "build", "native", "include")
    return tools[-1], include


def describe(proto_dir, proto_file):
    exe, include = protoc()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run([exe, f"-I{proto_dir}", f"-I{include}", f"--descriptor_set_out={out}", proto_file], check=True)
        with open(out, "rb") as binary:
            text = subprocess.run([exe, f"-I{include}", "--decode=google.protobuf.FileDescriptorSet", "google/protobuf/descriptor.proto"],
                                  stdin=binary, check=True, capture_output=True, text=True).stdout
    return facts(text)


def facts(text):
    """Flattens protoc's text format into one line per field and per enum value."""
    result, stack = set(), []
    for raw in text.splitlines():
        line = raw.strip()
        opening = re.match(r"^(\w+) \{$", line)
        if opening:
            stack.append({"kind": opening.group(1), "props": {}})
            continue
        if line == "}":
            frame = stack.pop()
            path = ".".join(f["props"].get("name", "") for f in stack if f["kind"] in ("message_type", "nested_type", "enum_type"))
            props = frame["props"]
            if frame["kind"] == "field":
                oneof = props.get("oneof_index", "-")
                result.add(f"{path}.{props['name']} = {props['number']} {props.get('label')} {props.get('type')} {props.get('type_name', '')} oneof:{oneof}")
            elif frame["kind"] == "value":
                result.add(f"{path}.{props['name']} = {props['number']}")
            continue
        prop = re.match(r'^(\w+): "?([^"]*)"?$', line)
        if prop and stack and prop.group(1) not in stack[-1]["props"]:
            stack[-1]["props"][prop.group(1)] = prop.group(2)
    return result


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ours = describe(HERE, "FunctionRpc.proto")
    upstream = describe(sys.argv[1], "FunctionRpc.proto")
    missing = sorted(ours - upstream)
    for fact in missing:
        print("differs from upstream:", fact)
    if missing:
        sys.exit(1)
    print(f"FunctionRpc.proto agrees with upstream: {len(ours)} fields and enum values checked.")


if __name__ == "__main__":
    main()
