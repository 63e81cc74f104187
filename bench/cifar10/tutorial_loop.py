#!/usr/bin/python3
"""The PyTorch CIFAR-10 tutorial's training loop (Ray Tune's train_cifar), timed: the baseline
that bench/cifar10/trainer_bench.cpp runs beside the C++ trainer. Needs Debian's python3-torch
(the same LibTorch 1.13 that the C++ side links).

The data are read from the same CIFAR-10 binary files and normalised once up front (the
tutorial's ToTensor + Normalize(0.5, 0.5)), so the loop is timed without per-image transforms:
that flatters Python, which makes the C++/Python ratio conservative.

Prints one JSON line: {"batch_size", "images", "seconds", "images_per_s", "cpu_seconds",
"images_per_cpu_s"} (CPU time: what the loop itself used, without the time a busy host took).
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    """The tutorial's Net, with its l1/l2 defaults."""

    def __init__(self, l1=120, l2=84):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, l1)
        self.fc2 = nn.Linear(l1, l2)
        self.fc3 = nn.Linear(l2, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def load_training_records(data_dir, count):
    """The first `count` records of data_batch_1.bin ... data_batch_5.bin, normalised."""
    chunks, have = [], 0
    for i in range(1, 6):
        raw = np.fromfile(os.path.join(data_dir, f"data_batch_{i}.bin"), dtype=np.uint8).reshape(-1, 3073)
        chunks.append(raw[: count - have])
        have += len(chunks[-1])
        if have >= count:
            break
    records = np.concatenate(chunks)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].astype(np.float32)).reshape(-1, 3, 32, 32) / 255.0
    return (images - 0.5) / 0.5, labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--images", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.001)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images, labels = load_training_records(args.data, args.images)
    trainloader = DataLoader(TensorDataset(images, labels), batch_size=args.batch_size, shuffle=True, num_workers=0)
    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)

    # Warm-up: a few batches, so allocator and kernel selection stay out of the timing.
    for i, (inputs, targets) in enumerate(trainloader):
        if i == 8:
            break
        optimizer.zero_grad()
        criterion(net(inputs), targets).backward()
        optimizer.step()

    start, start_cpu = time.perf_counter(), time.process_time()
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):  # the tutorial's loop, as train_cifar has it
        inputs, targets = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    print(json.dumps({"batch_size": args.batch_size, "images": len(images), "seconds": seconds,
                      "images_per_s": len(images) / seconds, "cpu_seconds": cpu_seconds,
                      "images_per_cpu_s": len(images) / cpu_seconds}))


if __name__ == "__main__":
    main()
