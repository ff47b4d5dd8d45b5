"""Inspects a weights file written by SeDsl.Weights with Python's standard library only (no torch needed).

For a torch.save file it opens the zip archive, unpickles data.pkl with stand-ins for torch's classes and prints, per
tensor, the rebuild function, storage type, element count, stored bytes, offset, size and stride: what torch.load
reads. For a safetensors file it prints the header and checks that the data offsets cover the file exactly.

    python3 tests/scripts/inspect_weights.py model.pt
    python3 tests/scripts/inspect_weights.py model.safetensors
"""
import collections
import json
import pickle
import struct
import sys
import zipfile


def safetensors(path):
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    end = max(v["data_offsets"][1] for v in tensors.values())
    print(f"safetensors: {len(tensors)} tensors, data {end} bytes, file has {len(data) - 8 - length} after the header")
    for key, entry in tensors.items():
        print(f"  {key} {entry['dtype']} {entry['shape']} {entry['data_offsets']}")
    return end == len(data) - 8 - length


def torch_save(path):
    archive = zipfile.ZipFile(path)
    pkl = next(n for n in archive.namelist() if n.endswith("data.pkl"))
    root = pkl.rsplit("/", 1)[0]

    class Call:
        def __init__(self, name):
            self.name = name

        def __call__(self, *args):
            return (self.name, args)

    class Reader(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            return Call(f"{module}.{name}")

        def persistent_load(self, pid):
            kind, storage, key, location, numel = pid
            return (kind, storage.name, numel, len(archive.read(f"{root}/data/{key}")), location)

    state = Reader(archive.open(pkl)).load()
    print(f"torch.save: {type(state).__name__} of {len(state)} tensors, archive entries {len(archive.namelist())}")
    ok = True
    for key, (function, args) in state.items():
        (kind, storage, numel, stored, location), offset, size, stride = args[:4]
        print(f"  {key} {function} {storage} numel {numel} bytes {stored} offset {offset} size {size} stride {stride} on {location}")
        ok &= kind == "storage" and function == "torch._utils._rebuild_tensor_v2"
    return ok


if __name__ == "__main__":
    file = sys.argv[1]
    sys.exit(0 if (safetensors(file) if file.endswith(".safetensors") else torch_save(file)) else 1)
