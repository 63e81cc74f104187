// `tune-data fashion-mnist`, run as a program on the real Fashion-MNIST of Debian's
// dataset-fashion-mnist package, checked against the source IDX files decompressed by gzip.
#include <catch2/catch.hpp>

#include "cifar10/cifar_test_support.hpp"

#include "cifar_dataset.hpp"

using Catch::Matchers::Contains;
using tune::cifar::CifarDataset;
using tune::cifar::kImageSide;
using tune::cifar::kPlaneBytes;
using namespace tune::test::cifar;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = "/usr/share/datasets/fashion-mnist";
constexpr std::size_t kSide = 28, kBorder = 2;

void require_package() {
    if (!fs::exists(kSource / "train-images-idx3-ubyte.gz"))
        FAIL(kSource.string() << " is missing: install the Debian package dataset-fashion-mnist by running "
                                 "scripts/install-deps.sh");
}

// The decompressed bytes of a source file, from gzip itself rather than the code under test.
std::string gunzip(const fs::path &path) {
    const auto result = tune::test::run_program({"/bin/gzip", "-dc", path.string()});
    REQUIRE(result.exit_code == 0);
    return result.out;
}

// Checks `set` against the IDX images and labels: label, black border, equal channels, pixels.
void check_matches_source(const CifarDataset &set, const std::string &images, const std::string &labels) {
    constexpr std::size_t kImagesHeader = 16, kLabelsHeader = 8;
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
        const auto record = set.record(i);
        if (record.label != static_cast<std::uint8_t>(labels[kLabelsHeader + i])) ++mismatches;
        const auto *grey = reinterpret_cast<const std::uint8_t *>(images.data() + kImagesHeader + i * kSide * kSide);
        for (std::size_t y = 0; y < kImageSide; ++y) {
            for (std::size_t x = 0; x < kImageSide; ++x) {
                const bool border = y < kBorder || y >= kBorder + kSide || x < kBorder || x >= kBorder + kSide;
                const std::uint8_t expected = border ? 0 : grey[(y - kBorder) * kSide + (x - kBorder)];
                for (std::size_t channel = 0; channel < 3; ++channel)
                    mismatches += record.pixels[channel * kPlaneBytes + y * kImageSide + x] != expected;
            }
        }
    }
    CHECK(mismatches == 0);
}

} // namespace

TEST_CASE("tune-data fashion-mnist writes 50000 + 10000 padded grey records with the source labels",
          "[tune-data]") {
    require_package();
    tune::test::TempDir dir("tune-data-fashion");
    const auto result = run_tune_data({"fashion-mnist", "--out", dir.path().string()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains((dir.path() / "data_batch_5.bin").string() + " (10000 records)") &&
                               Contains((dir.path() / "test_batch.bin").string() + " (10000 records)") &&
                               Contains("6 files, 60000 records"));

    const auto train = CifarDataset::open_train(dir.path());
    const auto test = CifarDataset::open_test(dir.path());
    REQUIRE(train.size() == 50000);
    REQUIRE(test.size() == 10000);
    for (const auto &file : train.files()) CHECK(file.size() == 10000);
    check_matches_source(train, gunzip(kSource / "train-images-idx3-ubyte.gz"),
                         gunzip(kSource / "train-labels-idx1-ubyte.gz"));
    check_matches_source(test, gunzip(kSource / "t10k-images-idx3-ubyte.gz"),
                         gunzip(kSource / "t10k-labels-idx1-ubyte.gz"));
}

TEST_CASE("tune-data fashion-mnist: a missing source file is an I/O error naming it", "[tune-data]") {
    tune::test::TempDir dir("tune-data-fashion");
    const auto result =
        run_tune_data({"fashion-mnist", "--out", (dir.path() / "out").string(), "--source", dir.path().string()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains((dir.path() / "train-images-idx3-ubyte.gz").string()) && Contains("cannot open"));
    CHECK(!fs::exists(dir.path() / "out"));
}

TEST_CASE("tune-data fashion-mnist: malformed IDX files are errors naming the file and the expectation",
          "[tune-data]") {
    require_package();
    tune::test::TempDir dir("tune-data-fashion");
    const auto source = dir.path() / "source";
    fs::create_directories(source);
    for (const char *name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                             "t10k-labels-idx1-ubyte.gz"})
        fs::copy_file(kSource / name, source / name);
    const auto convert = [&] {
        return run_tune_data({"fashion-mnist", "--out", (dir.path() / "out").string(), "--source", source.string()});
    };
    // IDX headers are big-endian: magic, then one 32-bit size per dimension. The reader takes
    // plain files as well as gzip, so these are written uncompressed.
    const auto labels = source / "t10k-labels-idx1-ubyte.gz";
    const auto images = source / "t10k-images-idx3-ubyte.gz";

    write_bytes(labels, {0, 0, 8, 3, 0, 0, 0, 1, 5}); // the images' magic on a labels file
    auto result = convert();
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains(labels.string()) && Contains("magic number 0x00000803") &&
                               Contains("expected 0x00000801"));

    write_bytes(images, {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3}); // 3 of 784 pixels
    result = convert();
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains(images.string()) && Contains("3 bytes of data") && Contains("expected 784"));

    write_bytes(images, {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7}); // one 1x1 image
    result = convert();
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains(images.string()) && Contains("1x1; expected 28x28"));

    std::vector<std::uint8_t> one_image{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28};
    one_image.resize(one_image.size() + 28 * 28, 9);
    write_bytes(images, one_image);
    result = convert();
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains(images.string()) && Contains("1 images; expected at least 10000"));

    // Every source file is checked before anything is written.
    CHECK(!fs::exists(dir.path() / "out"));
}
