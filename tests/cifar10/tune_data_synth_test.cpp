// `tune-data synth`, run as a program: files the reader accepts, deterministic, learnable.
#include <catch2/catch.hpp>

#include "cifar10/cifar_test_support.hpp"

#include "cifar_dataset.hpp"

#include <array>
#include <fstream>
#include <iterator>

using Catch::Matchers::Contains;
using tune::cifar::CifarDataset;
using tune::cifar::kClassCount;
using tune::cifar::kPixelBytes;
using tune::cifar::kTestFileName;
using tune::cifar::kTrainFileNames;
using namespace tune::test::cifar;
namespace fs = std::filesystem;

namespace {

std::vector<char> file_bytes(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> all_file_names() {
    std::vector<std::string> names(kTrainFileNames.begin(), kTrainFileNames.end());
    names.push_back(kTestFileName);
    return names;
}

} // namespace

TEST_CASE("tune-data synth writes six files the reader accepts, split evenly", "[tune-data]") {
    tune::test::TempDir dir("tune-data-synth");
    const auto out = dir.path() / "set";
    const auto result = run_tune_data({"synth", "--out", out.string(), "--train", "7", "--test", "3", "--seed", "1"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains((out / "data_batch_1.bin").string() + " (2 records)") &&
                               Contains((out / "data_batch_5.bin").string() + " (1 records)") &&
                               Contains((out / "test_batch.bin").string() + " (3 records)") &&
                               Contains("6 files, 10 records"));

    const auto train = CifarDataset::open_train(out);
    std::vector<std::size_t> counts;
    for (const auto &file : train.files()) counts.push_back(file.size());
    CHECK(counts == std::vector<std::size_t>{2, 2, 1, 1, 1});
    CHECK(CifarDataset::open_test(out).size() == 3);
    for (const auto &entry : fs::directory_iterator(out)) CHECK(entry.path().extension() == ".bin"); // no .tmp left
}

TEST_CASE("tune-data synth is deterministic for a seed and differs for another", "[tune-data]") {
    tune::test::TempDir dir("tune-data-synth");
    const auto run = [&](const std::string &name, const std::string &seed) {
        const auto result = run_tune_data(
            {"synth", "--out", (dir.path() / name).string(), "--train", "500", "--test", "100", "--seed", seed});
        REQUIRE(result.exit_code == 0);
    };
    run("a", "11");
    run("b", "11");
    run("c", "12");
    for (const auto &name : all_file_names()) {
        CHECK(file_bytes(dir.path() / "a" / name) == file_bytes(dir.path() / "b" / name));
        CHECK(file_bytes(dir.path() / "a" / name) != file_bytes(dir.path() / "c" / name));
    }
}

TEST_CASE("tune-data synth is learnable: nearest class mean beats chance by far", "[tune-data]") {
    tune::test::TempDir dir("tune-data-synth");
    const auto result =
        run_tune_data({"synth", "--out", dir.path().string(), "--train", "5000", "--test", "1000", "--seed", "5"});
    REQUIRE(result.exit_code == 0);
    const auto train = CifarDataset::open_train(dir.path());
    const auto test = CifarDataset::open_test(dir.path());

    std::vector<std::vector<double>> means(kClassCount, std::vector<double>(kPixelBytes, 0.0));
    std::array<std::size_t, kClassCount> class_counts{};
    for (std::size_t i = 0; i < train.size(); ++i) {
        const auto record = train.record(i);
        ++class_counts[record.label];
        for (std::size_t p = 0; p < kPixelBytes; ++p) means[record.label][p] += record.pixels[p];
    }
    for (std::size_t c = 0; c < kClassCount; ++c) {
        REQUIRE(class_counts[c] > 0); // every class appears
        for (auto &value : means[c]) value /= static_cast<double>(class_counts[c]);
    }

    std::size_t correct = 0;
    for (std::size_t i = 0; i < test.size(); ++i) {
        const auto record = test.record(i);
        std::size_t best = 0;
        double best_distance = -1;
        for (std::size_t c = 0; c < kClassCount; ++c) {
            double distance = 0;
            for (std::size_t p = 0; p < kPixelBytes; ++p) {
                const double d = record.pixels[p] - means[c][p];
                distance += d * d;
            }
            if (best_distance < 0 || distance < best_distance) best_distance = distance, best = c;
        }
        correct += best == record.label;
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(test.size());
    INFO("nearest-class-mean test accuracy " << accuracy);
    CHECK(accuracy > 0.9);
}

TEST_CASE("tune-data: bad arguments exit with status 2", "[tune-data]") {
    tune::test::TempDir dir("tune-data-synth");
    const auto out = dir.path().string();
    CHECK(run_tune_data({}).exit_code == 2);
    CHECK(run_tune_data({"frobnicate"}).exit_code == 2);
    CHECK(run_tune_data({"synth"}).exit_code == 2); // --out is required
    CHECK(run_tune_data({"synth", "--out", out, "--train", "4"}).exit_code == 2);
    CHECK(run_tune_data({"synth", "--out", out, "--test", "0"}).exit_code == 2);
    CHECK(run_tune_data({"synth", "--out", out, "--seed", "abc"}).exit_code == 2);
    CHECK(run_tune_data({"fashion-mnist"}).exit_code == 2);
    const auto help = run_tune_data({"synth", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Contains("--train") && Contains("--seed"));
    CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("tune-data synth: an unwritable output is an I/O error naming it", "[tune-data]") {
    tune::test::TempDir dir("tune-data-synth");
    const auto blocker = dir.path() / "a-file";
    write_bytes(blocker, {1});
    const auto result = run_tune_data({"synth", "--out", (blocker / "set").string(), "--train", "5", "--test", "1"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains((blocker / "set").string()));
}
