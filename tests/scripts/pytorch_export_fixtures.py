"""Runs every zoo model's generated PyTorch export under PyTorch and writes what it computes, for `dotnet test`.

The generator emits each network as PyTorch source (`PyTorchSource`; the samples' `export-pytorch` writes NAME.py). This
script exports every zoo model, builds each under PyTorch, fills its state_dict from the fidelity formula
(fidelity_fixtures.py; the C# twin is tests/SeDsl.Tests/Fidelity/WeightFormula.cs), runs it in eval mode on a
formula-made input and writes tests/SeDsl.Tests/Fidelity/Exported/NAME.json: the state_dict's keys, shapes and dtypes
in PyTorch's order with a checksum per filled tensor, and the outputs. `dotnet test` (ExportedFidelityTests) builds the
TorchSharp model, requires the same keys in the same order and, on the same weights, the same outputs.

For the models in ROUND_TRIP it then trains one SGD step under PyTorch (train mode, so batch-norm statistics move too),
writes the state_dict with torch.save to NAME.pt and records the trained model's outputs: `dotnet test` loads that
file with Weights.Load into a fresh TorchSharp model and requires the same outputs.

Run it with Debian's interpreter (PyTorch 1.13) from the repository root, after a build:

    /usr/bin/python3 tests/scripts/pytorch_export_fixtures.py                 # export with dotnet, every model
    /usr/bin/python3 tests/scripts/pytorch_export_fixtures.py TinySeNet       # only the models named
    /usr/bin/python3 tests/scripts/pytorch_export_fixtures.py --from DIR      # use NAME.py files exported before

docs/pytorch-export.md describes the export and the multi-machine workflow.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fidelity_fixtures as formula  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXPORTED = os.path.join(ROOT, "tests", "SeDsl.Tests", "Fidelity", "Exported")

# Batch 2 at 64x64 unless a model needs more: every stride-2 layer still sees more than its kernel. Networks whose head
# flattens a spatial map accept only their declared size.
DEFAULT_SIZE = 64
SIZES = {
    "InceptionResNetV2": 139,
    "SeInceptionResNetV2": 139,
    "Vgg16": 224,
    "SeVgg16": 224,
    "TinySeNet": 32,
    "FashionResNet": 28,
    "FashionSeResNet": 28,
}

# Small networks whose trained weights are committed as torch.save files for the round trip (a few hundred kB).
ROUND_TRIP = ["TinySeNet", "FashionSeResNet"]


def export(folder, names):
    command = ["dotnet", "run", "--no-build", "--project", os.path.join(ROOT, "samples", "SeDsl.Samples"), "--",
               "export-pytorch", "--out", folder]
    if len(names) == 1:
        command.insert(-2, names[0])
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def make_input(shape):
    data = formula.integers("input", int(np.prod(shape))).astype(np.float32) * np.float32(2.0 ** -23)
    return torch.from_numpy(data.reshape(shape))


def outputs(tensor):
    # 9 significant digits restore a float32 exactly.
    return [float(f"{x:.9g}") for x in tensor.reshape(-1).numpy()]


def train_one_step(model, x):
    """One SGD step on fixed labels, in train mode: the weights and the batch-norm statistics move."""
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.0)
    labels = torch.arange(x.shape[0]) % 10
    loss = torch.nn.functional.cross_entropy(model(x), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    model.eval()
    return float(loss)


def fixture(name, cls):
    torch.manual_seed(0)
    model = cls()
    entries = formula.fill(model)
    model.eval()
    channels = cls.input_shape[0]
    size = SIZES.get(name, DEFAULT_SIZE)
    shape = (2, channels, size, size)
    x = make_input(shape)
    with torch.no_grad():
        output = model(x)
    data = {
        "model": name,
        "source": "the generated PyTorch export (PyTorchSource)",
        "torchVersion": torch.__version__,
        "formulaVersion": formula.FORMULA_VERSION,
        "parameters": sum(p.numel() for p in model.parameters()),
        "input": list(shape),
        "inputChecksum": str(formula.checksum(x.numpy())),
        "stateDict": entries,
        "outputShape": list(output.shape),
        "output": outputs(output),
    }
    if name in ROUND_TRIP:
        loss = train_one_step(model, x)
        weights = name + ".pt"
        torch.save(model.state_dict(), os.path.join(EXPORTED, weights))
        with torch.no_grad():
            trained = model(x)
        data["roundTrip"] = {"weights": weights, "loss": round(loss, 6), "output": outputs(trained)}
    return data


def check_make_divisible(module, name):
    """The file's make_divisible must be torchvision's _make_divisible on integers (channel counts and divisors)."""
    helper = module.__init__.__globals__.get("make_divisible")
    if helper is None:
        return
    from torchvision.models._utils import _make_divisible
    wrong = [(v, d) for v in range(3000) for d in (1, 2, 3, 4, 8, 16) if helper(v, d) != _make_divisible(v, d)]
    if wrong:
        raise AssertionError(f"{name}: make_divisible differs from torchvision's at (value, divisor) {wrong[:5]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", help="zoo names to regenerate (default: every exported model)")
    parser.add_argument("--from", dest="source", help="a folder of NAME.py files written by export-pytorch")
    args = parser.parse_args()
    print(f"torch {torch.__version__}")
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.source or scratch
        if not args.source:
            export(folder, args.models)
        names = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py"))
        if args.models:
            unknown = [m for m in args.models if m not in names]
            if unknown:
                print(f"not exported: {', '.join(unknown)}", file=sys.stderr)
                return 2
            names = [n for n in names if n in args.models]
        os.makedirs(EXPORTED, exist_ok=True)
        for name in names:
            network = load(os.path.join(folder, name + ".py"), name)
            check_make_divisible(network, name)
            data = fixture(name, network)
            path = formula.write(data, EXPORTED)
            out = np.array(data["output"], dtype=np.float32).reshape(data["outputShape"])
            scale = float(np.abs(out).max())
            spread = float(np.abs(out[0] - out[1]).max())
            print(f"{name:22} {data['parameters']:>12,} parameters  {len(data['stateDict']):>5} entries  input {data['input']}"
                  f"  output scale {scale:.4g}, samples differ by {spread / scale:.2f} of it"
                  f"  {os.path.getsize(path) / 1024:.0f} KiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
