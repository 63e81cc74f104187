// CifarFile: memory-mapped batch files of any record count, and every kind of bad file.
#include <catch2/catch.hpp>

#include "cifar10/cifar_test_support.hpp"

#include "cifar_file.hpp"

#include <algorithm>

using Catch::Matchers::Contains;
using tune::cifar::CifarFile;
using tune::cifar::CifarFileError;
using tune::cifar::kPixelBytes;
using tune::cifar::kRecordBytes;
using namespace tune::test::cifar;

namespace {

// The message CifarFile's constructor throws for `path`.
std::string open_error(const std::filesystem::path &path) {
    try {
        CifarFile file(path);
    } catch (const CifarFileError &error) {
        return error.what();
    }
    FAIL("opening " << path << " did not throw");
    return {};
}

} // namespace

TEST_CASE("cifar file: records of good files of several sizes read back without copying", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    for (std::size_t count : {std::size_t{1}, std::size_t{7}, std::size_t{300}}) {
        std::vector<std::uint8_t> labels;
        for (std::size_t i = 0; i < count; ++i) labels.push_back(static_cast<std::uint8_t>((i * 7) % 10));
        const auto path = dir.path() / ("batch_" + std::to_string(count) + ".bin");
        write_bytes(path, make_records(labels));

        CifarFile file(path);
        CHECK(file.path() == path);
        REQUIRE(file.size() == count);
        for (std::size_t i = 0; i < count; ++i) {
            const auto record = file.record(i);
            CHECK(record.label == labels[i]);
            const auto expected = static_cast<std::uint8_t>((i + labels[i]) % 256);
            CHECK(std::all_of(record.pixels, record.pixels + kPixelBytes, [&](std::uint8_t p) { return p == expected; }));
        }
        if (count > 1) // pixels point into the mapping: consecutive records are one record apart
            CHECK(file.record(1).pixels - file.record(0).pixels == static_cast<std::ptrdiff_t>(kRecordBytes));
        CHECK_THROWS_AS(file.record(count), std::out_of_range);
    }
}

TEST_CASE("cifar file: a moved file keeps its mapping", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    write_bytes(dir.path() / "a.bin", make_records({3, 4}));
    CifarFile original(dir.path() / "a.bin");
    CifarFile moved(std::move(original));
    CHECK(moved.size() == 2);
    CHECK(moved.record(1).label == 4);
}

TEST_CASE("cifar file: a missing file is an error naming it", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    const auto path = dir.path() / "data_batch_3.bin";
    const auto message = open_error(path);
    CHECK_THAT(message, Contains(path.string()) && Contains("No such file") && Contains("CIFAR-10 binary"));
}

TEST_CASE("cifar file: an empty file is an error naming it and the record size", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    const auto path = dir.path() / "test_batch.bin";
    write_bytes(path, {});
    CHECK_THAT(open_error(path), Contains(path.string()) && Contains("empty") && Contains("3073-byte record"));
}

TEST_CASE("cifar file: a truncated or wrong-size file is an error naming the size found", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    const auto path = dir.path() / "data_batch_3.bin";
    auto bytes = make_records(std::vector<std::uint8_t>(10, 1));

    bytes.pop_back(); // truncated: 30729 bytes
    write_bytes(path, bytes);
    CHECK(open_error(path) == path.string() + ": size 30729 is not a multiple of the 3073-byte record "
                                              "(1 label byte + 3072 pixel bytes); the file is truncated or not "
                                              "CIFAR-10 binary");

    write_bytes(path, std::vector<std::uint8_t>(100, 0)); // shorter than one record
    CHECK_THAT(open_error(path), Contains(path.string()) && Contains("size 100 is not a multiple"));

    write_bytes(path, std::vector<std::uint8_t>(kRecordBytes + 1, 0)); // one byte too many
    CHECK_THAT(open_error(path), Contains("size 3074 is not a multiple"));
}

TEST_CASE("cifar file: a label above 9 is an error naming the record and the label", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    const auto path = dir.path() / "data_batch_1.bin";
    for (std::uint8_t bad : {std::uint8_t{10}, std::uint8_t{255}}) {
        write_bytes(path, make_records({0, 9, 5, bad, 2}));
        const auto message = open_error(path);
        CHECK_THAT(message, Contains(path.string()) && Contains("record 3 (byte offset 9219)") &&
                                Contains("has label " + std::to_string(bad)) &&
                                Contains("expected a label from 0 to 9"));
    }
}

TEST_CASE("cifar file: a folder is not a batch file", "[cifar]") {
    tune::test::TempDir dir("cifar-file");
    CHECK_THAT(open_error(dir.path()), Contains(dir.path().string()) && Contains("not a regular file"));
}
