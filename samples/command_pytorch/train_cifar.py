#!/usr/bin/env python3
"""The PyTorch CIFAR-10 tutorial's training loop (train_cifar in Ray Tune's "Hyperparameter
tuning with Ray Tune"), as a program that tune runs through the command trainable.

What changed from the tutorial: the config comes from the command line (tune fills in the
placeholders), the data is read from the CIFAR-10 binary files (data_batch_1.bin ...
test_batch.bin) instead of torchvision, and each epoch ends with a checkpoint folder and a
result line (tune_report.py) instead of ray.train.report. The network, the optimiser (SGD,
momentum 0.9), the 80/20 train/validation split and the loss are the tutorial's.

    python3 train_cifar.py --data-dir DIR --l1 64 --l2 32 --lr 0.001 --batch-size 4 [--epochs 10]
                           [--train-subset N]

Needs Debian's python3-torch (and its python3-numpy); no torchvision, no Ray.
"""

import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

sys.path.insert(0, os.environ.get("TUNE_REPORT_PY_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                     "..", "..", "sdk", "python")))
import tune_report as tune  # noqa: E402

RECORD = 1 + 3 * 32 * 32


class Net(nn.Module):
    """The tutorial's network, its two hidden widths configurable."""

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


def load_batches(data_dir, names):
    """Images as float tensors normalised to [-1, 1] (the tutorial's Normalize(0.5, 0.5)) and labels."""
    raw = []
    for name in names:
        path = os.path.join(data_dir, name)
        data = np.fromfile(path, dtype=np.uint8)
        if data.size == 0 or data.size % RECORD != 0:
            sys.exit(f"{path}: {data.size} bytes is not a whole number of {RECORD}-byte CIFAR-10 records")
        raw.append(data.reshape(-1, RECORD))
    records = np.concatenate(raw)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].astype(np.float32)).reshape(-1, 3, 32, 32) * (2.0 / 255.0) - 1.0
    return images, labels


def batches(images, labels, batch_size, shuffle, generator):
    order = torch.randperm(len(labels), generator=generator) if shuffle else torch.arange(len(labels))
    for start in range(0, len(order), batch_size):
        index = order[start:start + batch_size]
        yield images[index], labels[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--l1", type=int, default=120)
    parser.add_argument("--l2", type=int, default=84)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--train-subset", type=int, default=0, help="use only the first N training records (0: all)")
    args = parser.parse_args()

    torch.set_num_threads(int(os.environ.get("TUNE_NUM_CPUS", "1")))
    seed = int(os.environ.get("TUNE_SEED", "0")) % (2 ** 63)
    torch.manual_seed(seed)

    images, labels = load_batches(args.data_dir, [f"data_batch_{i}.bin" for i in range(1, 6)])
    if args.train_subset > 0:
        images, labels = images[:args.train_subset], labels[:args.train_subset]
    # The tutorial's random_split of 80% / 20%, with a fixed seed: every trial validates on the same images.
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))
    cut = int(len(order) * 0.8)
    train_x, train_y = images[order[:cut]], labels[order[:cut]]
    val_x, val_y = images[order[cut:]], labels[order[cut:]]

    net = Net(args.l1, args.l2)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    generator = torch.Generator().manual_seed(seed)

    start_epoch = 0
    if tune.restore_dir():
        state = torch.load(os.path.join(tune.restore_dir(), "checkpoint.pt"))
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        generator.set_state(state["generator"])
        start_epoch = state["epoch"]

    for epoch in range(start_epoch, args.epochs):
        net.train()
        running_loss, steps = 0.0, 0
        for i, (inputs, targets) in enumerate(batches(train_x, train_y, args.batch_size, True, generator)):
            optimizer.zero_grad()
            loss = criterion(net(inputs), targets)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            steps += 1
            if i % 2000 == 1999:  # the tutorial's progress line: output.log keeps it
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / steps:.3f}", flush=True)
                running_loss, steps = 0.0, 0

        net.eval()
        val_loss, val_steps, correct = 0.0, 0, 0
        with torch.no_grad():
            for inputs, targets in batches(val_x, val_y, 256, False, None):
                outputs = net(inputs)
                correct += (outputs.argmax(1) == targets).sum().item()
                val_loss += criterion(outputs, targets).item()
                val_steps += 1

        name = f"epoch_{epoch + 1}"
        torch.save({"net": net.state_dict(), "optimizer": optimizer.state_dict(),
                    "generator": generator.get_state(), "epoch": epoch + 1},
                   os.path.join(tune.checkpoint_dir(name), "checkpoint.pt"))
        tune.report(loss=val_loss / val_steps, accuracy=correct / len(val_y), checkpoint=name)


if __name__ == "__main__":
    main()
