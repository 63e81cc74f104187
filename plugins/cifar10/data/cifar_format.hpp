// The CIFAR-10 binary layout: constants shared by the reader, the writers and the docs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tune::cifar {

inline constexpr std::size_t kImageSide = 32;
inline constexpr std::size_t kChannels = 3;                                    // R, G, B planes
inline constexpr std::size_t kPlaneBytes = kImageSide * kImageSide;            // 1024
inline constexpr std::size_t kPixelBytes = kChannels * kPlaneBytes;            // 3072
inline constexpr std::size_t kLabelBytes = 1;
inline constexpr std::size_t kRecordBytes = kLabelBytes + kPixelBytes;         // 3073
inline constexpr std::uint8_t kClassCount = 10;                                // labels 0..9

// The standard (downloaded) CIFAR-10 sizes; generated sets may have any positive count.
inline constexpr std::size_t kStandardRecordsPerFile = 10000;
inline constexpr std::size_t kStandardTrainRecords = 50000;
inline constexpr std::size_t kStandardTestRecords = 10000;

inline constexpr std::array<const char *, 5> kTrainFileNames = {
    "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
inline constexpr const char *kTestFileName = "test_batch.bin";

} // namespace tune::cifar
