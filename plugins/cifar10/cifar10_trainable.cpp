// org.tune.cifar10: the PyTorch CIFAR-10 tutorial's train_cifar as a trainable. Each step
// trains one epoch of SGD (momentum 0.9, cross-entropy) on 80% of the training set and
// reports the loss and accuracy on the other 20%; evaluate() scores a checkpoint on the
// test set. Config: l1, l2, lr, batch_size, and data_dir (a folder of CIFAR-10 binary files)
// or synthetic_data (a generated set, written into the trial's folder); optional momentum,
// seed, train_subset (use only the first N training records, for quick runs).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>

#include "tune/plugin.hpp"

#include "cifar10_net.hpp"
#include "cifar10_training.hpp"
#include "cifar_dataset.hpp"
#include "cifar_format.hpp"
#include "device_dataset.hpp"
#include "fused_sgd.hpp"
#include "split_mix64.hpp"
#include "synthetic_set.hpp"
#include "train_validation_split.hpp"

namespace {

using tune::cifar::CifarDataset;
using tune::cifar::Net;
using tune::cifar::Score;

class Cifar10Trainable final : public tune::Trainable, public tune::Evaluator {
public:
    static constexpr const char *id = "org.tune.cifar10";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "PyTorch CIFAR-10 tutorial Net (l1, l2) trained with SGD (lr, batch_size); CIFAR-10 binary data";
    // Runs anywhere in seconds: a small synthetic set instead of a data_dir.
    static constexpr const char *example_config =
        R"({"l1": 8, "l2": 4, "lr": 0.01, "batch_size": 16, "synthetic_data": {"train": 200, "test": 40, "seed": 3}})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        l1_ = positive_int(config, "l1");
        l2_ = positive_int(config, "l2");
        batch_size_ = positive_int(config, "batch_size");
        lr_ = tune::require<double>(config, "lr");
        if (!(lr_ > 0.0)) throw tune::ConfigError("config key 'lr' must be > 0");
        momentum_ = tune::get_or<double>(config, "momentum", 0.9);
        seed_ = tune::get_or<std::uint64_t>(config, "seed", context.seed);
        const auto subset = tune::get_or<std::int64_t>(config, "train_subset", 0);
        if (subset < 0) throw tune::ConfigError("config key 'train_subset' must be >= 0 (0: all)");
        data_dir_ = data_dir_for(config, context);

        torch::set_num_threads(static_cast<int>(std::max(1u, context.num_cpus)));
        devices_ = training_devices(context.num_gpus);
        device_ = devices_.front();
        if (context.num_gpus > 0) log_device(context);

        train_set_ = std::make_unique<CifarDataset>(open(CifarDataset::open_train, data_dir_));
        std::size_t records = train_set_->size();
        if (subset > 0) records = std::min(records, static_cast<std::size_t>(subset));
        // The split's seed is fixed, not the trial's: every trial validates on the same records.
        split_ = tune::cifar::split_train_validation(records, 0);
        // A GPU trial keeps the training set on its device, copied once per worker and data set.
        if (!device_.is_cuda()) device_train_.reset();
        else if (!device_train_ || device_train_dir_ != data_dir_) {
            device_train_ = std::make_unique<tune::cifar::DeviceDataset>(*train_set_, device_);
            device_train_dir_ = data_dir_;
        }
        test_set_.reset();

        torch::manual_seed(seed_);
        net_ = Net(l1_, l2_);
        net_->to(device_);
        optimizer_ = std::make_unique<tune::cifar::FusedSgd>(
            net_->parameters(), torch::optim::SGDOptions(lr_).momentum(momentum_));
        epoch_ = 0;
    }

    tune::Json step() override {
        // Each epoch shuffles with a generator of (seed, epoch), so a restored trial replays
        // exactly the order an uninterrupted one would have used.
        std::vector<std::size_t> order = split_.train;
        tune::cifar::SplitMix64 rng(seed_ ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(epoch_ + 1)));
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        torch::manual_seed(seed_ + static_cast<std::uint64_t>(epoch_));

        if (device_train_) tune::cifar::train_epoch(net_, *optimizer_, *device_train_, order, batch_size_, devices_);
        else tune::cifar::train_epoch(net_, *optimizer_, *train_set_, order, batch_size_, device_, devices_);
        ++epoch_;
        const Score validation = device_train_ ? tune::cifar::score(net_, *device_train_, split_.validation)
                                               : tune::cifar::score(net_, *train_set_, split_.validation, device_);
        return {{"loss", validation.loss}, {"accuracy", validation.accuracy}};
    }

    void save(const std::string &dir) override {
        const std::filesystem::path folder(dir);
        torch::save(net_, (folder / "model.pt").string());
        torch::save(*optimizer_, (folder / "optimizer.pt").string());
        std::ofstream state(folder / "state.json");
        state << tune::Json{{"epoch", epoch_}}.dump();
        if (!state.flush()) throw tune::IoError("cannot write " + (folder / "state.json").string());
    }

    void restore(const std::string &dir) override {
        const std::filesystem::path folder(dir);
        std::ifstream state(folder / "state.json");
        if (!state) throw tune::IoError("checkpoint " + dir + " has no state.json");
        try {
            epoch_ = tune::require<std::int64_t>(tune::Json::parse(state), "epoch");
            torch::load(net_, (folder / "model.pt").string());
            torch::load(*optimizer_, (folder / "optimizer.pt").string());
        } catch (const c10::Error &e) {
            throw tune::IoError("checkpoint " + dir + " cannot be loaded: " + e.what_without_backtrace());
        } catch (const tune::Json::exception &e) {
            throw tune::IoError("checkpoint " + dir + "/state.json is corrupt: " + e.what());
        }
        net_->to(device_);
    }

    // Spare CPUs lent to the trial, or taken back: LibTorch's intra-op pool (OpenMP) grows
    // or shrinks at the next parallel region, so the next epoch uses them.
    bool update_context(const tune::TrialContext &context) override {
        torch::set_num_threads(static_cast<int>(std::max(1u, context.num_cpus)));
        host().log(TUNE_LOG_INFO, "trial " + context.trial_id + " now trains on " + std::to_string(context.num_cpus) +
                                      " threads");
        return true;
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context); // the memory-mapped files are reopened cheaply; weights are new
        return true;
    }

    tune::Json evaluate(const std::string &checkpoint_dir) override {
        restore(checkpoint_dir);
        if (!test_set_) test_set_ = std::make_unique<CifarDataset>(open(CifarDataset::open_test, data_dir_));
        std::vector<std::size_t> all(test_set_->size());
        std::iota(all.begin(), all.end(), std::size_t{0});
        const Score test = tune::cifar::score(net_, *test_set_, all, device_);
        return {{"test_loss", test.loss}, {"test_accuracy", test.accuracy}};
    }

private:
    static std::int64_t positive_int(const tune::Json &config, const std::string &key) {
        const auto value = tune::require<std::int64_t>(config, key);
        if (value <= 0) throw tune::ConfigError("config key '" + key + "' must be > 0, got " + std::to_string(value));
        return value;
    }

    // The folder to read: data_dir, or the set that synthetic_data describes, written into the
    // trial's folder (it depends only on its counts and seed, so every trial of a config has
    // the same data, and a restore finds it again).
    static std::string data_dir_for(const tune::Json &config, const tune::TrialContext &context) {
        const bool has_dir = config.contains("data_dir"), has_synthetic = config.contains("synthetic_data");
        if (has_dir == has_synthetic)
            throw tune::ConfigError(std::string(has_dir ? "config has both" : "config needs one of") +
                                    " 'data_dir' (a folder of CIFAR-10 binary files) and 'synthetic_data' (a "
                                    "generated set: {\"train\": 200, \"test\": 40, \"seed\": 0})");
        if (has_dir) return tune::require<std::string>(config, "data_dir");

        const tune::Json &spec = config["synthetic_data"];
        if (!spec.is_object())
            throw tune::ConfigError("config key 'synthetic_data' must be an object {\"train\", \"test\", \"seed\"}, got " +
                                    std::string(spec.type_name()) + " " + spec.dump());
        for (const auto &item : spec.items())
            if (item.key() != "train" && item.key() != "test" && item.key() != "seed")
                throw tune::ConfigError("config key 'synthetic_data." + item.key() +
                                        "' is unknown; expected train, test or seed");
        using tune::cifar::kStandardTestRecords, tune::cifar::kStandardTrainRecords;
        const auto train = synthetic_count(spec, "train", 200, 5, kStandardTrainRecords);
        const auto test = synthetic_count(spec, "test", 40, 1, kStandardTestRecords);
        const auto seed = synthetic_count(spec, "seed", 0, 0, std::numeric_limits<std::uint64_t>::max());
        if (context.trial_dir.empty())
            throw tune::ConfigError("config key 'synthetic_data' needs the trial's folder, and the host gave none");
        const auto dir = std::filesystem::path(context.trial_dir) / "synthetic_data";
        try {
            tune::cifar::write_synthetic_set(dir, train, test, seed);
        } catch (const tune::cifar::CifarWriteError &e) {
            throw tune::IoError(std::string("synthetic_data: ") + e.what());
        }
        return dir.string();
    }

    // synthetic_data.<key>, an integer in [low, high], or fallback when absent.
    static std::uint64_t synthetic_count(const tune::Json &spec, const char *key, std::uint64_t fallback,
                                         std::uint64_t low, std::uint64_t high) {
        if (!spec.contains(key)) return fallback;
        const tune::Json &value = spec[key];
        std::optional<std::uint64_t> count;
        if (value.is_number_unsigned()) count = value.get<std::uint64_t>();
        else if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
            count = static_cast<std::uint64_t>(value.get<std::int64_t>());
        if (!count || *count < low || *count > high)
            throw tune::ConfigError("config key 'synthetic_data." + std::string(key) + "' must be an integer in " +
                                    std::to_string(low) + ".." + std::to_string(high) + ", got " +
                                    value.type_name() + " " + value.dump());
        return *count;
    }

    // The devices a trial with num_gpus trains on: the CPU without GPUs (or without CUDA),
    // cuda:0 for a share of one, and data-parallel over cuda:0..k-1 for k >= 2 whole GPUs (the
    // host makes exactly the trial's GPUs visible, as cuda:0 onwards).
    static tune::cifar::DeviceList training_devices(double num_gpus) {
        if (!(num_gpus > 0) || !torch::cuda::is_available()) return {torch::kCPU};
        const auto whole = static_cast<std::int64_t>(num_gpus);
        const auto count = std::max<std::int64_t>(1, std::min<std::int64_t>(whole, torch::cuda::device_count()));
        tune::cifar::DeviceList devices;
        for (std::int64_t i = 0; i < count; ++i) devices.emplace_back(torch::kCUDA, static_cast<torch::DeviceIndex>(i));
        return devices;
    }

    // One line in the worker's log saying which devices the trial trains on and which GPUs
    // it can see: the host restricts each worker with CUDA_VISIBLE_DEVICES.
    void log_device(const tune::TrialContext &context) const {
        const char *visible = std::getenv("CUDA_VISIBLE_DEVICES");
        const bool cuda = device_.is_cuda();
        std::string where = cuda ? "cuda:0" : "cpu (no CUDA in this LibTorch or no driver)";
        if (devices_.size() > 1) where = "cuda:0-" + std::to_string(devices_.size() - 1) + " data-parallel";
        else if (cuda && context.num_gpus >= 2) where += " only (fewer visible devices than whole GPUs given)";
        host().log(cuda ? TUNE_LOG_INFO : TUNE_LOG_WARNING,
                   "trial " + context.trial_id + " trains on " + where + "; CUDA_VISIBLE_DEVICES=" +
                       (visible ? visible : "(unset)") + "; visible CUDA devices: " +
                       std::to_string(cuda ? torch::cuda::device_count() : 0));
    }

    // Opens a data set, turning the reader's error into a config error that names the file.
    static CifarDataset open(CifarDataset (*opener)(const std::filesystem::path &), const std::string &dir) {
        try {
            return opener(dir);
        } catch (const std::exception &e) {
            throw tune::ConfigError(std::string("data_dir '") + dir + "': " + e.what());
        }
    }

    std::int64_t l1_ = 0, l2_ = 0, batch_size_ = 0, epoch_ = 0;
    double lr_ = 0.0, momentum_ = 0.9;
    std::uint64_t seed_ = 0;
    std::string data_dir_;
    tune::cifar::DeviceList devices_{torch::kCPU}; // several: data-parallel over them
    torch::Device device_{torch::kCPU};               // devices_.front(): the net's and the data's
    std::unique_ptr<CifarDataset> train_set_, test_set_;
    std::unique_ptr<tune::cifar::DeviceDataset> device_train_; // GPU trials only
    std::string device_train_dir_;                              // the data_dir it holds
    tune::cifar::TrainValidationSplit split_;
    Net net_{nullptr};
    std::unique_ptr<tune::cifar::FusedSgd> optimizer_;
};

} // namespace

TUNE_PLUGIN_LIBRARY(Cifar10Trainable);
