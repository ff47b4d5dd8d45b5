"""Writes the fidelity fixtures: what torchvision computes for each zoo model, on weights from a formula.

Every tensor of a model's state_dict is filled from an integer hash of its key and element index (the same formula
is written in C# in tests/SeDsl.Tests/Fidelity/WeightFormula.cs), so no weight file is committed. For each model in
MODELS the script builds torchvision's model, fills it, runs it in eval mode on a formula-made input and writes
tests/SeDsl.Tests/Fidelity/Fixtures/<ZooName>.json: torchvision's parameter count, the state_dict's keys, shapes and
dtypes in order with a checksum of each filled tensor, and the outputs (PENDING models to Fixtures/Pending/, for the
rows the zoo does not have yet). `dotnet test` (FidelityTests) rebuilds the
same weights in TorchSharp and compares, with no Python.

Run it with Debian's interpreter, which has PyTorch 1.13 and torchvision 0.14 (python3-torch, python3-torchvision):

    /usr/bin/python3 tests/scripts/fidelity_fixtures.py             # every model in MODELS and PENDING
    /usr/bin/python3 tests/scripts/fidelity_fixtures.py ResNet18    # only the models named
    /usr/bin/python3 tests/scripts/fidelity_fixtures.py --counts    # torchvision's parameter counts, PENDING included
    /usr/bin/python3 tests/scripts/fidelity_fixtures.py --tree      # and each model's condensed module tree

docs/fidelity.md describes the formula, the fixtures and the models still pending.
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import torch
import torchvision

# Bump when the formula changes; the C# side checks that it reads fixtures of its own version.
FORMULA_VERSION = 1

# Batch 2 at 72x72: every stride-2 layer of a ResNet still sees an input larger than its kernel, and the last two
# stages start from odd sizes (9x9 -> 5x5, 5x5 -> 3x3), where the rounding of strided convolutions and of the
# projection shortcut matters; the 3x3 map before the global pooling has borders and an interior.
INPUT_SHAPE = (2, 3, 72, 72)

# One row per model: the zoo's class name (and fixture file name), torchvision's builder, its keyword arguments, and
# the input shape when it is not INPUT_SHAPE.
MODELS = [
    ("ResNet18", "resnet18", {}),
    ("ResNet34", "resnet34", {}),
    ("ResNet50", "resnet50", {}),
    ("ResNet101", "resnet101", {}),
    ("ResNet152", "resnet152", {}),
    ("ResNeXt50", "resnext50_32x4d", {}),
    # VGG's head flattens 512x7x7 into its first linear layer. torchvision pools any feature map to 7x7 first
    # (AdaptiveAvgPool2d((7, 7))); the zoo's Vgg16 has no such layer and flattens what the features give, which is
    # 7x7 only at 224x224 (at 72x72 it would be 2x2, 2,048 inputs instead of 25,088). At 224x224 torchvision's pooling
    # is the identity and both compute the same function.
    ("Vgg16", "vgg16_bn", {}, (2, 3, 224, 224)),
    # With the formula weights, the outputs of these three barely depend on the input (the two samples differ by
    # 9.3e-7, 2.6e-4 and 1.2e-4 of the output scale); their C# rows say so (FidelityCase.InputSensitive).
    ("EfficientNetB0", "efficientnet_b0", {}),
    ("MobileNetV3Large", "mobilenet_v3_large", {}),
    ("MobileNetV3Small", "mobilenet_v3_small", {}),
    ("RegNetY400MF", "regnet_y_400mf", {}),
]

# torchvision models of the zoo's scope that the zoo does not have yet. Their fixtures are written too, to
# Fixtures/Pending/ (keys, shapes, order, counts and outputs at INPUT_SHAPE: they pool globally), so that the C# rows
# can be added as soon as the zoo declares them (docs/fidelity.md says what each needs); --counts prints their
# counts and --tree their module trees. A row moves to MODELS, and its fixture up one folder, once the zoo has it.
PENDING = []

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SeDsl.Tests", "Fidelity", "Fixtures")
PENDING_FIXTURES = os.path.join(FIXTURES, "Pending")

MASK32 = np.uint64(0xFFFFFFFF)


def key_seed(key):
    """FNV-1a, 32 bits, over the key's UTF-8 bytes."""
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def integers(key, count):
    """Element i of tensor `key` as an integer in [-2^23, 2^23): a 32-bit mix of (i, key), its top 24 bits."""
    x = np.arange(count, dtype=np.uint64)
    # All arithmetic is modulo 2^32; uint64 products wrap modulo 2^64, which keeps the low 32 bits exact.
    x = (x * np.uint64(0x9E3779B1) + np.uint64(key_seed(key))) & MASK32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & MASK32
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & MASK32
    x ^= x >> np.uint64(16)
    return (x >> np.uint64(8)).astype(np.int64) - (1 << 23)


def values(key, shape):
    """The float32 values of a state_dict entry. Each is one correctly rounded float32 operation on exact operands,
    so any IEEE implementation (numpy here, C# in the tests) gets the same bits."""
    count = int(np.prod(shape, dtype=np.int64)) if len(shape) > 0 else 1
    v = integers(key, count).astype(np.float32)  # exact: |v| <= 2^23
    unit = np.float32(2.0 ** -23)
    name = key.rsplit(".", 1)[-1]
    if name == "running_var" or (name == "weight" and len(shape) == 1):
        # batch-norm variance and scale: 1 + u / 4 with u uniform in [-1, 1), so in [0.75, 1.25)
        out = np.float32(1.0) + v * (unit * np.float32(0.25))
    elif name == "running_mean" or name == "bias":
        # batch-norm mean and shift, and convolution or linear biases: uniform in [-0.1, 0.1)
        out = v * (unit * np.float32(0.1))
    elif name == "weight" and len(shape) >= 2:
        # convolution and linear weights: uniform in [-a, a) with a = sqrt(3 / fan_in), variance 1 / fan_in
        fan_in = int(np.prod(shape[1:], dtype=np.int64))
        out = v * (unit * np.float32(math.sqrt(3.0 / fan_in)))
    else:
        raise ValueError(f"no formula for state_dict entry {key} of shape {list(shape)}")
    return out.astype(np.float32).reshape(shape)


def checksum(array):
    """Sum over i of bits(x_i) * (2i + 1), modulo 2^64: an exact, position-sensitive fingerprint of float32 values."""
    bits = np.ascontiguousarray(array, dtype=np.float32).reshape(-1).view(np.uint32).astype(np.uint64)
    weights = np.arange(bits.size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        return int(np.sum(bits * weights, dtype=np.uint64))


def build(builder, kwargs):
    return getattr(torchvision.models, builder)(weights=None, **kwargs)


def fill(model):
    """Every floating-point state_dict entry from the formula; the integer batch counters keep their value, which
    eval mode never reads."""
    entries = []
    with torch.no_grad():
        for key, tensor in model.state_dict().items():
            entry = {"key": key, "shape": list(tensor.shape), "dtype": str(tensor.dtype).replace("torch.", "")}
            if tensor.is_floating_point():
                data = values(key, tuple(tensor.shape))
                tensor.copy_(torch.from_numpy(data))
                entry["checksum"] = str(checksum(tensor.numpy()))
            entries.append(entry)
    return entries


def make_input(shape):
    """The input: uniform in [-1, 1), from the formula's integers for the key "input"."""
    data = integers("input", int(np.prod(shape))).astype(np.float32) * np.float32(2.0 ** -23)
    return torch.from_numpy(data.reshape(shape))


def row(entry):
    """(zoo name, builder, kwargs, input shape) of a MODELS or PENDING row."""
    return (entry + (INPUT_SHAPE,))[:4]


def fixture(zoo_name, builder, kwargs, shape):
    torch.manual_seed(0)
    model = build(builder, kwargs)
    entries = fill(model)
    model.eval()
    x = make_input(shape)
    # The stochastic-depth layers that run, in the order they run: torchvision creates one in every MBConv, but a block
    # without its residual addition never calls it.
    called = []
    hooks = [m.register_forward_hook(lambda module, args, out: called.append(module.p))
             for m in model.modules() if isinstance(m, torchvision.ops.StochasticDepth)]
    with torch.no_grad():
        output = model(x)
    for hook in hooks:
        hook.remove()
    flat = output.reshape(-1).numpy()
    return {
        "model": zoo_name,
        "torchvision": builder + (f" {kwargs}" if kwargs else ""),
        "torchVersion": torch.__version__,
        "torchvisionVersion": torchvision.__version__,
        "formulaVersion": FORMULA_VERSION,
        "parameters": sum(p.numel() for p in model.parameters()),
        "input": list(shape),
        "inputChecksum": str(checksum(x.numpy())),
        "stateDict": entries,
        "stochasticDepth": called,
        "outputShape": list(output.shape),
        # 9 significant digits restore a float32 exactly.
        "output": [float(f"{x:.9g}") for x in flat],
    }


def write(data, folder=FIXTURES):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, data["model"] + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n")
        fields = [k for k in data if k not in ("stateDict", "output", "roundTrip")]
        for k in fields:
            f.write(f"  {json.dumps(k)}: {json.dumps(data[k])},\n")
        f.write('  "stateDict": [\n')
        f.write(",\n".join("    " + json.dumps(e, separators=(", ", ": ")) for e in data["stateDict"]))
        f.write("\n  ],\n")
        f.write('  "output": [\n')
        rows = [data["output"][i:i + 10] for i in range(0, len(data["output"]), 10)]
        f.write(",\n".join("    " + ", ".join(repr(x) for x in row) for row in rows))
        if "roundTrip" in data:
            f.write("\n  ],\n")
            f.write(f'  "roundTrip": {json.dumps(data["roundTrip"])}\n}}\n')
        else:
            f.write("\n  ]\n}\n")
    return path


def tree(model):
    """A condensed view of the module tree: every module path with its numbers replaced by '*' (block1-0 is block*-*), the module types
    found there, and each distinct list of child names with how often it occurs (a child missing from some lists is an
    optional member; numeric names are containers filled by index)."""
    groups = {}
    for name, module in model.named_modules():
        pattern = re.sub(r"[0-9]+", "*", name) if name else "(model)"
        children = tuple(child for child, _ in module.named_children())
        group = groups.setdefault(pattern, {"types": {}, "children": {}})
        group["types"][type(module).__name__] = group["types"].get(type(module).__name__, 0) + 1
        if children:
            group["children"][children] = group["children"].get(children, 0) + 1
    lines = []
    for pattern, group in groups.items():
        if not group["children"]:
            continue  # leaves: their parents' lines name them
        types = ", ".join(f"{t} x{n}" if n > 1 else t for t, n in group["types"].items())
        shapes = "; ".join(f"[{compress(c)}]" + (f" x{n}" if n > 1 else "") for c, n in group["children"].items())
        lines.append(f"  {pattern}: {types}: {shapes}")
    return lines


def compress(names):
    """'0, 1, 2, 3' as '0-3'; other names as they are."""
    out, run = [], []
    for name in list(names) + [None]:
        if name is not None and name.isdigit() and (not run or int(name) == int(run[-1]) + 1):
            run.append(name)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
            run = []
        if name is not None:
            if name.isdigit():
                run = [name]
            else:
                out.append(name)
    return ", ".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", help="zoo names to regenerate (default: all of MODELS and PENDING)")
    parser.add_argument("--counts", action="store_true", help="print torchvision's parameter counts and write nothing")
    parser.add_argument("--tree", action="store_true", help="print each model's condensed module tree and write nothing")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    rows = [(row(r), FIXTURES, "fixture") for r in MODELS] + [(row(r), PENDING_FIXTURES, "pending") for r in PENDING]

    if args.counts or args.tree:
        for (zoo_name, builder, kwargs, _), _, state in rows:
            if args.models and zoo_name not in args.models:
                continue
            model = build(builder, kwargs)
            print(f"{zoo_name:18} {builder:20} {sum(p.numel() for p in model.parameters()):>12,} parameters"
                  f"  {len(model.state_dict()):>4} state_dict entries  ({state})")
            if args.tree:
                print("\n".join(tree(model)))
        return 0

    known = {r[0][0] for r in rows}
    unknown = [m for m in args.models if m not in known]
    if unknown:
        print(f"not in MODELS or PENDING: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for (zoo_name, builder, kwargs, shape), folder, _ in rows:
        if args.models and zoo_name not in args.models:
            continue
        data = fixture(zoo_name, builder, kwargs, shape)
        path = write(data, folder)
        out = np.array(data["output"], dtype=np.float32).reshape(data["outputShape"])
        scale = float(np.abs(out).max())
        spread = float(np.abs(out[0] - out[1]).max())
        print(f"{zoo_name:10} {builder:16} {data['parameters']:>12,} parameters  {len(data['stateDict']):>4} entries"
              f"  output scale {scale:.4g}, samples differ by {spread / scale:.2f} of it  "
              f"{os.path.getsize(path) / 1024:.0f} KiB  {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
