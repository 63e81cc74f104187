// CifarDataset: the training and test sets as one sequence over their files.
#include <catch2/catch.hpp>

#include "cifar10/cifar_test_support.hpp"

#include "cifar_dataset.hpp"

using Catch::Matchers::Contains;
using tune::cifar::CifarDataset;
using tune::cifar::CifarFileError;
using tune::cifar::kTestFileName;
using tune::cifar::kTrainFileNames;
using namespace tune::test::cifar;

TEST_CASE("cifar dataset: the training set numbers records across the five files in order", "[cifar]") {
    tune::test::TempDir dir("cifar-dataset");
    // File f holds f + 1 records, labelled f, so a global index maps to a known file.
    for (std::size_t f = 0; f < kTrainFileNames.size(); ++f)
        write_bytes(dir.path() / kTrainFileNames[f], make_records(std::vector<std::uint8_t>(f + 1, static_cast<std::uint8_t>(f))));
    write_bytes(dir.path() / kTestFileName, make_records({7, 8, 9}));

    const auto train = CifarDataset::open_train(dir.path());
    REQUIRE(train.size() == 15);
    CHECK(train.files().size() == 5);
    const std::vector<std::uint8_t> expected{0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4};
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(train.record(i).label == expected[i]);
    CHECK_THROWS_AS(train.record(15), std::out_of_range);

    const auto test = CifarDataset::open_test(dir.path());
    REQUIRE(test.size() == 3);
    CHECK(test.record(2).label == 9);
}

TEST_CASE("cifar dataset: a missing training file is an error naming it", "[cifar]") {
    tune::test::TempDir dir("cifar-dataset");
    for (std::size_t f = 0; f < kTrainFileNames.size(); ++f)
        if (f != 2) write_bytes(dir.path() / kTrainFileNames[f], make_records({1}));
    CHECK_THROWS_WITH(CifarDataset::open_train(dir.path()),
                      Contains((dir.path() / "data_batch_3.bin").string()) && Contains("cannot open"));
    CHECK_THROWS_AS(CifarDataset::open_test(dir.path()), CifarFileError);
}
