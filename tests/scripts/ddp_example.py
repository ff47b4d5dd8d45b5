"""Trains a zoo model's PyTorch export with DistributedDataParallel and writes its state_dict for Weights.Load.

The multi-machine workflow of docs/pytorch-export.md, small enough to run on one CPU machine:

    dotnet run --project samples/SeDsl.Samples -- export-pytorch TinySeNet --out export
    torchrun --nproc_per_node 2 tests/scripts/ddp_example.py export/TinySeNet.py TinySeNet tinysenet.pt

On many machines, start the same command on each with --nnodes, --node_rank and --master_addr (torchrun's options).
The data here is random (a fixed seed per rank); replace `batches` with your DataLoader and a DistributedSampler.
"""
import importlib.util
import os
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def batches(shape, classes, steps, rank):
    generator = torch.Generator().manual_seed(1000 + rank)
    for _ in range(steps):
        yield torch.randn((8,) + tuple(shape), generator=generator), torch.randint(classes, (8,), generator=generator)


def main(source, name, output, steps=20):
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)
    rank = dist.get_rank()
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"])) if backend == "nccl" else torch.device("cpu")
    network = load(source, name)
    torch.manual_seed(0)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    model = DistributedDataParallel(network().to(device), device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    for step, (x, y) in enumerate(batches(network.input_shape, 10, steps, rank)):
        loss = torch.nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()  # DDP averages the gradients of all ranks here
        optimizer.step()
        if rank == 0 and step % 5 == 0:
            print(f"step {step}: loss {loss.item():.4f} (rank 0 of {dist.get_world_size()})", flush=True)
    if rank == 0:
        # model.module: the network itself, so the keys carry no DDP "module." prefix.
        torch.save(model.module.state_dict(), output)
        print(f"wrote {output}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
