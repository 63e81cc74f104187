// The CIFAR-10 trainer's hot loop, against what it replaced: FusedSgd against
// torch::optim::SGD (the same updates, the same checkpoint files), BatchBuffer's reuse of its
// tensors (never while someone still holds them), a GPU trial's DeviceDataset (run on the
// CPU device) against BatchBuffer, and data parallelism (replicas on the CPU device) against
// one device. On data that tune-data writes.
#include <algorithm>
#include <numeric>
#include <sstream>

#include "cifar10_batches.hpp"
#include "cifar10_net.hpp"
#include "cifar10_training.hpp"
#include "cifar_dataset.hpp"
#include "cifar_format.hpp"
#include "data_parallel.hpp"
#include "device_dataset.hpp"
#include "fused_sgd.hpp"

// LibTorch's headers bring glog's CHECK, which aborts; the assertions here are Catch2's.
#undef CHECK
#include <catch2/catch.hpp>

#include "support/synthetic_cifar.hpp"

using tune::cifar::BatchBuffer;
using tune::cifar::CifarDataset;
using tune::cifar::FusedSgd;
using tune::cifar::Net;

namespace {

std::vector<std::size_t> first(std::size_t count) {
    std::vector<std::size_t> indices(count);
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    return indices;
}

Net seeded_net() {
    torch::manual_seed(5);
    return Net(32, 16);
}

// The largest difference between the two nets' parameters.
double max_difference(Net &a, Net &b) {
    const auto pa = a->parameters(), pb = b->parameters();
    REQUIRE(pa.size() == pb.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < pa.size(); ++i) worst = std::max(worst, (pa[i] - pb[i]).abs().max().item<double>());
    return worst;
}

// Net weights after `epochs` passes over the data, each with its optimizer.
void train(Net &net, torch::optim::Optimizer &optimizer, const CifarDataset &data, int epochs) {
    for (int e = 0; e < epochs; ++e) tune::cifar::train_epoch(net, optimizer, data, first(data.size()), 8, torch::kCPU);
}

} // namespace

TEST_CASE("fused sgd: the very weights of torch::optim::SGD, with every SGD option", "[cifar10]") {
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 400, 10));
    torch::set_num_threads(1);
    const std::vector<torch::optim::SGDOptions> variants = {
        torch::optim::SGDOptions(0.01).momentum(0.9),
        torch::optim::SGDOptions(0.01),
        torch::optim::SGDOptions(0.02).momentum(0.5).dampening(0.25).weight_decay(0.01),
        torch::optim::SGDOptions(0.01).momentum(0.9).nesterov(true).weight_decay(0.001),
    };
    for (const auto &options : variants) {
        INFO("momentum " << options.momentum() << ", dampening " << options.dampening() << ", weight decay "
                         << options.weight_decay() << ", nesterov " << options.nesterov());
        Net fused_net = seeded_net(), torch_net = seeded_net();
        REQUIRE(max_difference(fused_net, torch_net) == 0.0);
        FusedSgd fused(fused_net->parameters(), options);
        torch::optim::SGD reference(torch_net->parameters(), options);
        train(fused_net, fused, data, 2);
        train(torch_net, reference, data, 2);
        Net initial = seeded_net();
        CHECK(max_difference(fused_net, initial) > 1e-3);   // it trained
        // Bit for bit: the fused loop rounds as ATen's kernels do (one fused multiply-add per
        // a*x + y) on CPUs with FMA, as every x86-64 of the last decade has.
        CHECK(max_difference(fused_net, torch_net) == 0.0);
    }
}

TEST_CASE("fused sgd: its checkpoints are SGD's, both ways, and a loaded state goes on", "[cifar10]") {
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 200, 10));
    torch::set_num_threads(1);
    const auto options = torch::optim::SGDOptions(0.01).momentum(0.9);
    Net fused_net = seeded_net(), torch_net = seeded_net();
    FusedSgd fused(fused_net->parameters(), options);
    torch::optim::SGD reference(torch_net->parameters(), options);
    train(fused_net, fused, data, 1);
    train(torch_net, reference, data, 1);

    // Swap the optimizers' momentum through checkpoint streams: each loads what the other wrote.
    std::stringstream from_fused, from_torch;
    torch::save(fused, from_fused);
    torch::save(reference, from_torch);
    torch::load(fused, from_torch);
    torch::load(reference, from_fused);
    REQUIRE(fused.state().size() == fused_net->parameters().size());
    train(fused_net, fused, data, 1);
    train(torch_net, reference, data, 1);
    CHECK(max_difference(fused_net, torch_net) == 0.0);
}

TEST_CASE("batch buffer: normalised records, its memory reused, never under a holder", "[cifar10]") {
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 50, 10));
    const auto order = first(data.size());
    BatchBuffer buffer;

    auto batch = buffer.fill(data, order, 4, 12);
    REQUIRE(batch.images.sizes() == torch::IntArrayRef({8, 3, 32, 32}));
    const auto record = data.record(5);
    CHECK(batch.labels[1].item<std::int64_t>() == record.label);
    for (std::size_t p : {std::size_t{0}, std::size_t{1000}, tune::cifar::kPixelBytes - 1})
        CHECK(batch.images[1].flatten()[static_cast<std::int64_t>(p)].item<float>() ==
              Approx(record.pixels[p] / 255.0 * 2.0 - 1.0).margin(1e-6));
    void *memory = batch.images.data_ptr();

    batch = {}; // released: the next batch lands in the same memory
    batch = buffer.fill(data, order, 12, 20);
    CHECK(batch.images.data_ptr() == memory);
    CHECK(batch.labels[0].item<std::int64_t>() == data.record(12).label);

    // Held (as an autograd graph holds its input): the next fill leaves it alone.
    const auto held_copy = batch.images.clone();
    auto next = buffer.fill(data, order, 20, 28);
    CHECK(next.images.data_ptr() != batch.images.data_ptr());
    CHECK(torch::equal(batch.images, held_copy));

    // A short last batch is the front of the buffer.
    memory = next.images.data_ptr();
    batch = next = {};
    const auto last = buffer.fill(data, order, 48, 50);
    CHECK(last.images.size(0) == 2);
    CHECK(last.images.data_ptr() == memory);
    CHECK(last.labels[1].item<std::int64_t>() == data.record(49).label);
}

TEST_CASE("device dataset: batches gathered from the copy equal BatchBuffer's, and so does training",
          "[cifar10]") {
    // A GPU trial's path, run on the CPU device: the same gathering and normalisation code.
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 300, 10));
    torch::set_num_threads(1);
    const tune::cifar::DeviceDataset on_device(data, torch::kCPU);
    REQUIRE(on_device.size() == data.size());
    std::vector<std::size_t> order = first(data.size());
    std::reverse(order.begin(), order.end());
    const torch::Tensor positions = on_device.positions(order);
    BatchBuffer buffer;
    for (const auto &[begin, end] : {std::pair{0, 8}, std::pair{8, 24}, std::pair{296, 300}}) {
        const auto gathered = on_device.gather(positions, begin, end);
        const auto filled = buffer.fill(data, order, static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
        CHECK(torch::equal(gathered.images, filled.images));
        CHECK(torch::equal(gathered.labels, filled.labels));
    }

    Net from_device = seeded_net(), from_records = seeded_net();
    FusedSgd a(from_device->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    FusedSgd b(from_records->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    tune::cifar::train_epoch(from_device, a, on_device, order, 8);
    tune::cifar::train_epoch(from_records, b, data, order, 8, torch::kCPU);
    CHECK(max_difference(from_device, from_records) == 0.0);
    const auto scored_on_device = tune::cifar::score(from_device, on_device, first(100));
    const auto scored = tune::cifar::score(from_records, data, first(100), torch::kCPU);
    CHECK(scored_on_device.loss == scored.loss);
    CHECK(scored_on_device.accuracy == scored.accuracy);
}

TEST_CASE("data parallel: replicas give the net one device's logits and gradients", "[cifar10]") {
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 20, 10));
    torch::set_num_threads(2); // replicas on two of LibTorch's threads at once
    BatchBuffer buffer;
    const auto order = first(data.size());
    const auto batch = buffer.fill(data, order, 0, 10); // split 4, 4, 2 over three replicas
    const tune::cifar::DeviceList three{torch::kCPU, torch::kCPU, torch::kCPU};

    Net parallel = seeded_net(), single = seeded_net();
    const auto parallel_logits = tune::cifar::data_parallel_forward(parallel, batch.images, three);
    const auto single_logits = single->forward(batch.images);
    // The logits were gathered from the replicas, not computed by the net itself.
    REQUIRE(parallel_logits.grad_fn() != nullptr);
    CHECK(parallel_logits.grad_fn()->name() == "CatBackward0");
    CHECK(torch::allclose(parallel_logits, single_logits, 1e-5, 1e-6));

    torch::nn::functional::cross_entropy(parallel_logits, batch.labels).backward();
    torch::nn::functional::cross_entropy(single_logits, batch.labels).backward();
    const auto from_replicas = parallel->parameters(), from_net = single->parameters();
    REQUIRE(from_replicas.size() == from_net.size());
    for (std::size_t i = 0; i < from_net.size(); ++i) {
        INFO("parameter " << i);
        REQUIRE(from_replicas[i].grad().defined());
        CHECK(torch::allclose(from_replicas[i].grad(), from_net[i].grad(), 1e-4, 1e-6));
    }

    // A batch smaller than the device count runs on the net alone.
    const auto one = buffer.fill(data, order, 10, 11);
    const auto alone = tune::cifar::data_parallel_forward(parallel, one.images, three);
    CHECK(alone.sizes() == torch::IntArrayRef{1, 10});
    CHECK(alone.grad_fn()->name() != "CatBackward0");
}

TEST_CASE("data parallel: an epoch over two replicas trains one device's weights up to rounding", "[cifar10]") {
    tune::test::TempDir dir;
    const auto data = CifarDataset::open_train(tune::test::make_synthetic_cifar(dir, 300, 10));
    torch::set_num_threads(1);
    Net parallel = seeded_net(), single = seeded_net();
    FusedSgd a(parallel->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    FusedSgd b(single->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    const auto order = first(data.size());
    tune::cifar::train_epoch(parallel, a, data, order, 8, torch::kCPU, {torch::kCPU, torch::kCPU});
    tune::cifar::train_epoch(single, b, data, order, 8, torch::kCPU);
    // Both moved far from the start, and stayed within float rounding of each other.
    Net untrained = seeded_net();
    CHECK(max_difference(single, untrained) > 1e-3);
    CHECK(max_difference(parallel, single) < 1e-5);
    const auto scored_parallel = tune::cifar::score(parallel, data, order, torch::kCPU);
    const auto scored_single = tune::cifar::score(single, data, order, torch::kCPU);
    CHECK(scored_parallel.loss == Approx(scored_single.loss).epsilon(1e-5));
    CHECK(scored_parallel.accuracy == scored_single.accuracy);
}
