// tune-data: makes CIFAR-10 binary data sets for the cifar10 trainable without a download:
// `synth` (a learnable synthetic set) and `fashion-mnist` (real images from Debian's package).
// Exit status: 0 success, 2 bad arguments, 1 an I/O or format error (the message names the file).
#include "cifar_format.hpp"
#include "cifar_writer.hpp"
#include "fashion_mnist.hpp"
#include "synthetic_set.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace tune::cifar;

constexpr int kExitIoError = 1;
constexpr int kExitUsage = 2;
// 10x the standard set (about 1.8 GB); far more is surely a typo.
constexpr std::size_t kMaxSyntheticRecords = 10 * kStandardTrainRecords;

void print_written(const std::vector<WrittenFile> &files) {
    std::size_t total = 0;
    for (const auto &file : files) {
        std::cout << "wrote " << file.path.string() << " (" << file.records << " records)\n";
        total += file.records;
    }
    std::cout << "wrote " << files.size() << " files, " << total << " records\n";
}

} // namespace

int main(int argc, char **argv) {
    CLI::App app{"Makes CIFAR-10 binary data sets (data_batch_1..5.bin, test_batch.bin)", "tune-data"};
    app.require_subcommand(1);

    std::string synth_out;
    std::size_t train = kStandardTrainRecords, test = kStandardTestRecords;
    std::uint64_t seed = 0;
    CLI::App *synth = app.add_subcommand("synth", "Write a learnable synthetic set: a colour and pattern per class, plus noise");
    synth->add_option("--out", synth_out, "Output folder (created if missing)")->required();
    synth->add_option("--train", train, "Training records, split evenly over the 5 files")
        ->capture_default_str()
        ->check(CLI::Range(kTrainFileNames.size(), kMaxSyntheticRecords));
    synth->add_option("--test", test, "Test records")->capture_default_str()->check(CLI::Range(std::size_t{1}, kMaxSyntheticRecords));
    synth->add_option("--seed", seed, "Generator seed; the same seed writes the same files")->capture_default_str();

    std::string fashion_out, source = kFashionMnistDefaultSource;
    CLI::App *fashion = app.add_subcommand(
        "fashion-mnist", "Convert Fashion-MNIST (Debian package dataset-fashion-mnist) to the CIFAR-10 layout");
    fashion->add_option("--out", fashion_out, "Output folder (created if missing)")->required();
    fashion->add_option("--source", source, "Folder with the Fashion-MNIST IDX files (.gz)")->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &error) {
        return app.exit(error) == 0 ? 0 : kExitUsage;
    }

    try {
        if (*synth) print_written(write_synthetic_set(synth_out, train, test, seed));
        if (*fashion) print_written(convert_fashion_mnist(source, fashion_out));
    } catch (const std::exception &error) {
        std::cerr << "tune-data: " << error.what() << "\n";
        return kExitIoError;
    }
    return 0;
}
