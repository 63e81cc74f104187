#include "fashion_mnist.hpp"

#include "cifar_format.hpp"
#include "idx_file.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace tune::cifar {
namespace {

constexpr std::size_t kBorder = (kImageSide - kFashionMnistSide) / 2;

struct LabelledImages {
    IdxImages images;
    std::vector<std::uint8_t> labels;
};

// Reads an images/labels pair and checks it holds at least `needed` 28x28 images, labelled 0..9.
LabelledImages read_pair(const std::filesystem::path &images_path, const std::filesystem::path &labels_path,
                         std::size_t needed) {
    LabelledImages pair{read_idx_images(images_path), {}};
    const IdxImages &images = pair.images;
    if (images.rows != kFashionMnistSide || images.columns != kFashionMnistSide)
        throw IdxFileError(images_path.string() + ": images are " + std::to_string(images.rows) + "x" +
                           std::to_string(images.columns) + "; expected 28x28");
    if (images.count < needed)
        throw IdxFileError(images_path.string() + ": " + std::to_string(images.count) + " images; expected at least " +
                           std::to_string(needed));
    pair.labels = read_idx_labels(labels_path);
    if (pair.labels.size() != images.count)
        throw IdxFileError(labels_path.string() + ": " + std::to_string(pair.labels.size()) + " labels; expected " +
                           std::to_string(images.count) + ", one per image in " + images_path.string());
    const auto bad = std::find_if(pair.labels.begin(), pair.labels.end(), [](std::uint8_t l) { return l >= kClassCount; });
    if (bad != pair.labels.end())
        throw IdxFileError(labels_path.string() + ": label " + std::to_string(*bad) + " at index " +
                           std::to_string(bad - pair.labels.begin()) + "; expected 0 to 9");
    return pair;
}

// Images [first, first + count) as CIFAR-10 records: padded to 32x32, grey in all three planes.
std::vector<std::uint8_t> to_records(const LabelledImages &pair, std::size_t first, std::size_t count) {
    std::vector<std::uint8_t> records(count * kRecordBytes, 0); // zero: the black border
    const std::size_t image_bytes = kFashionMnistSide * kFashionMnistSide;
    for (std::size_t r = 0; r < count; ++r) {
        std::uint8_t *record = records.data() + r * kRecordBytes;
        record[0] = pair.labels[first + r];
        const std::uint8_t *grey = pair.images.pixels.data() + (first + r) * image_bytes;
        for (std::size_t channel = 0; channel < kChannels; ++channel) {
            std::uint8_t *plane = record + kLabelBytes + channel * kPlaneBytes;
            for (std::size_t y = 0; y < kFashionMnistSide; ++y)
                std::memcpy(plane + (y + kBorder) * kImageSide + kBorder, grey + y * kFashionMnistSide,
                            kFashionMnistSide);
        }
    }
    return records;
}

} // namespace

std::vector<WrittenFile> convert_fashion_mnist(const std::filesystem::path &source, const std::filesystem::path &out) {
    const LabelledImages train = read_pair(source / "train-images-idx3-ubyte.gz",
                                           source / "train-labels-idx1-ubyte.gz", kStandardTrainRecords);
    const LabelledImages test = read_pair(source / "t10k-images-idx3-ubyte.gz", source / "t10k-labels-idx1-ubyte.gz",
                                          kStandardTestRecords);
    std::vector<WrittenFile> written;
    std::size_t first = 0;
    for (std::size_t i = 0; i < kTrainFileNames.size(); ++i) {
        written.push_back(write_cifar_file(out, kTrainFileNames[i], to_records(train, first, kStandardRecordsPerFile)));
        first += kStandardRecordsPerFile;
    }
    written.push_back(write_cifar_file(out, kTestFileName, to_records(test, 0, kStandardTestRecords)));
    return written;
}

} // namespace tune::cifar
