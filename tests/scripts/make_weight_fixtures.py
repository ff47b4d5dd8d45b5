"""Writes the torch.save fixtures that tests/SeDsl.Tests/Runtime/WeightsFixtureTests.cs loads, with real PyTorch.

Run with Debian's interpreter, which has PyTorch 1.13 (the python3 first on PATH may not):

    /usr/bin/python3 tests/scripts/make_weight_fixtures.py                  # rewrites tests/SeDsl.Tests/Fixtures/Weights
    /usr/bin/python3 tests/scripts/make_weight_fixtures.py --check FILE.pt  # torch.load a file SeDsl wrote, load it strictly

The model is a PyTorch twin of samples/SeDsl.Zoo/Networks/TinySeNet.cs: the same submodule names, registration order,
shapes and function. Its weights are fixed by a seed and chosen as multiples of 1/128 below 1 in magnitude, so that
float16, bfloat16, float32 and float64 hold them exactly and one reference serves every dtype. Each fixture stores
the same state in one of the shapes torch.save produces in practice; manifest.json says which, and reference.bin holds
every tensor's values, contiguous and little-endian, for the tests to compare against without any pickle reader.
"""
import argparse
import collections
import json
import os
import struct
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "SeDsl.Tests", "Fixtures", "Weights")


class SqueezeExcitation(nn.Module):
    """SeDsl.Layers.SqueezeExcitation: average squeeze, 1x1 convolutions fc1 and fc2, sigmoid gate."""

    def __init__(self, channels, reduced):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, reduced, 1)
        self.fc2 = nn.Conv2d(reduced, channels, 1)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        return x * torch.sigmoid(self.fc2(torch.relu(self.fc1(s))))


class TinySeNet(nn.Module):
    """The zoo's TinySeNet; `head` and `attention` rename fc and se, as a checkpoint from another code base would."""

    def __init__(self, head="fc", attention="se"):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64)
        self.relu2 = nn.ReLU()
        setattr(self, attention, SqueezeExcitation(64, 4))
        self.attention = attention
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        setattr(self, head, nn.Linear(64, 10))
        self.head = head

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.relu2(self.bn2(self.conv2(x)))
        x = getattr(self, self.attention)(x)
        return getattr(self, self.head)(self.flatten(self.avgpool(x)))


def exact_values(generator, shape, low, high):
    """Multiples of 1/128 in [low/128, high/128]: exact in float16, bfloat16, float32 and float64."""
    return torch.randint(low, high + 1, shape, generator=generator).to(torch.float32) / 128


def build_model():
    torch.manual_seed(15)
    generator = torch.Generator().manual_seed(15)
    model = TinySeNet()
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.dtype == torch.int64:
                tensor.fill_(7)
            elif name.endswith("running_var"):
                tensor.copy_(exact_values(generator, tensor.shape, 64, 127))
            else:
                tensor.copy_(exact_values(generator, tensor.shape, -127, 127))
        # Tied values, so that one fixture can store them as one tensor.
        model.se.fc2.bias.copy_(model.bn2.weight)
    return model.eval()


def fixed_input():
    """The input the C# test rebuilds: ((i mod 17) - 8) / 8 over a 2x3x32x32 batch, i the flat index."""
    return ((torch.arange(2 * 3 * 32 * 32) % 17 - 8).to(torch.float32) / 8).reshape(2, 3, 32, 32)


def column_major(tensor):
    """The same values stored with the first two dimensions swapped in memory: a non-contiguous view."""
    if tensor.dim() < 2:
        return tensor.clone()
    return tensor.transpose(0, 1).contiguous().transpose(0, 1)


def views_of_one_storage(state):
    """Every floating tensor a view into one flat storage, at its own offset; running_mean of bn1 with stride 2."""
    floats = [(k, v) for k, v in state.items() if v.is_floating_point()]
    total = sum(v.numel() for _, v in floats) + 2 * 32 + 5
    flat = torch.zeros(total)
    result = collections.OrderedDict()
    offset = 5          # nothing starts at the beginning of the storage
    for key, value in state.items():
        if not value.is_floating_point():
            result[key] = value.clone()
        elif key == "bn1.running_mean":
            strided = flat[offset:offset + 2 * value.numel():2]
            strided.copy_(value)
            result[key] = strided
            offset += 2 * value.numel()
        else:
            view = flat[offset:offset + value.numel()].view(value.shape)
            view.copy_(value)
            result[key] = view
            offset += value.numel()
    return result


def optimizer_state(model):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model.train()
    model(fixed_input()).sum().backward()
    optimizer.step()
    state = optimizer.state_dict()
    model.zero_grad()
    return state


def fixtures(model):
    state = model.state_dict()
    copy = lambda: collections.OrderedDict((k, v.clone()) for k, v in state.items())

    channels_last = TinySeNet().eval()
    channels_last.load_state_dict(state)
    channels_last = channels_last.to(memory_format=torch.channels_last)

    parallel = nn.DataParallel(TinySeNet())
    parallel.module.load_state_dict(state)

    renamed = TinySeNet(head="classifier", attention="attn")
    renamed.load_state_dict({k.replace("fc.", "classifier.").replace("se.", "attn."): v for k, v in state.items()})

    tied = copy()
    tied["se.fc2.bias"] = tied["bn2.weight"]

    # An optimizer step changes the weights: take its state from a throw-away copy.
    trained = TinySeNet()
    trained.load_state_dict(state)

    def converted(dtype):
        return collections.OrderedDict(
            (k, v.to(dtype) if v.is_floating_point() else v.clone()) for k, v in state.items())

    return [
        ("state_dict.pt", "torch.save(model.state_dict()): an OrderedDict with _metadata", state, {}),
        ("channels_last.pt", "the state_dict of the model in channels_last memory format: 4-d tensors non-contiguous",
         channels_last.state_dict(), {}),
        ("column_major.pt", "every tensor of two or more dimensions stored transposed (column-major strides)",
         collections.OrderedDict((k, column_major(v)) for k, v in state.items()), {}),
        ("views.pt", "every floating tensor a view into one shared storage at an offset, one with stride 2",
         views_of_one_storage(state), {}),
        ("tied.pt", "se.fc2.bias and bn2.weight one tensor, pickled once and referenced twice", tied, {}),
        ("parameters.pt", "a plain dict whose floating tensors are nn.Parameter objects",
         {k: (nn.Parameter(v.clone()) if v.is_floating_point() else v.clone()) for k, v in state.items()}, {}),
        ("checkpoint_state_dict.pt", "a training checkpoint: state_dict nested with epoch, optimizer state and more",
         {"epoch": 3, "state_dict": copy(), "optimizer": optimizer_state(trained), "best_accuracy": 0.75,
          "arguments": {"lr": 0.1, "name": "tiny", "milestones": [30, 60], "nesterov": False, "note": None}},
         {"entry": "state_dict"}),
        ("checkpoint_model.pt", "a checkpoint with the state_dict under 'model'", {"model": copy(), "epoch": 1},
         {"entry": "model"}),
        ("data_parallel.pt", "nn.DataParallel(model).state_dict(): every key prefixed with 'module.'",
         parallel.state_dict(), {"strip_prefix": "module."}),
        ("renamed.pt", "the head named 'classifier' and the SE block 'attn'", renamed.state_dict(),
         {"rename_prefix": {"classifier.": "fc.", "attn.": "se."}}),
        ("float16.pt", "model.half().state_dict(): floating tensors float16", converted(torch.float16),
         {"convert": "float16"}),
        ("bfloat16.pt", "floating tensors bfloat16", converted(torch.bfloat16), {"convert": "bfloat16"}),
        ("float64.pt", "model.double().state_dict(): floating tensors float64", converted(torch.float64),
         {"convert": "float64"}),
    ]


def write_reference(model, directory):
    """reference.bin: each tensor's values in state_dict order, contiguous, little-endian; offsets in the manifest."""
    entries = []
    with open(os.path.join(directory, "reference.bin"), "wb") as out:
        offset = 0
        for key, tensor in model.state_dict().items():
            data = tensor.contiguous().numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
            entries.append({"key": key, "shape": list(tensor.shape), "dtype": str(tensor.dtype).replace("torch.", ""),
                            "offset": offset, "bytes": len(data)})
            out.write(data)
            offset += len(data)
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="FILE", help="torch.load FILE (written by SeDsl) and load it into the twin strictly")
    parser.add_argument("--output", default=OUT)
    args = parser.parse_args()

    if args.check:
        state = torch.load(args.check)
        twin = TinySeNet().eval()
        twin.load_state_dict(state, strict=True)
        order = list(state.keys()) == list(twin.state_dict().keys())
        print(f"{args.check}: {type(state).__name__} of {len(state)} tensors loaded strictly into the PyTorch "
              f"TinySeNet; keys in state_dict() order: {order}")
        return 0 if order else 1

    os.makedirs(args.output, exist_ok=True)
    model = build_model()
    manifest = {
        "generator": "tests/scripts/make_weight_fixtures.py",
        "torch": torch.__version__,
        "model": "TinySeNet",
        "keys": write_reference(model, args.output),
        "input": "((i mod 17) - 8) / 8 over a 2x3x32x32 batch, i the flat index",
        "output": model(fixed_input()).detach().tolist(),
        "fixtures": [],
    }
    for name, description, state, options in fixtures(model):
        torch.save(state, os.path.join(args.output, name))
        # What the file really holds, as torch.load reads it back (strides and storage offsets included).
        loaded = torch.load(os.path.join(args.output, name))
        tensors = loaded.get(options.get("entry"), loaded) if options.get("entry") else loaded
        contiguous = all(t.is_contiguous() for t in tensors.values())
        offsets = any(t.storage_offset() != 0 for t in tensors.values())
        manifest["fixtures"].append({
            "file": name, "description": description, "options": options,
            "container": type(loaded).__name__, "keys": list(tensors.keys()),
            "all_contiguous": contiguous, "any_storage_offset": offsets,
            "bytes": os.path.getsize(os.path.join(args.output, name)),
        })
    # Not a state_dict: the test requires a refusal that says what the file holds.
    torch.save(model, os.path.join(args.output, "whole_model.pt"))
    manifest["refused"] = [{"file": "whole_model.pt", "description": "torch.save(model): the whole module, pickled with its class",
                            "bytes": os.path.getsize(os.path.join(args.output, "whole_model.pt"))}]
    with open(os.path.join(args.output, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
        out.write("\n")
    for entry in manifest["fixtures"]:
        print(f"{entry['file']}: {entry['bytes']} bytes, {entry['container']}, contiguous {entry['all_contiguous']}, "
              f"offsets {entry['any_storage_offset']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
