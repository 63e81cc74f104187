#include "synthetic_set.hpp"

#include "cifar_format.hpp"
#include "synthetic_cifar.hpp"

#include <stdexcept>
#include <string>

namespace tune::cifar {

std::vector<WrittenFile> write_synthetic_set(const std::filesystem::path &dir, std::size_t train, std::size_t test,
                                             std::uint64_t seed) {
    if (train < kTrainFileNames.size())
        throw std::invalid_argument("a synthetic set needs at least " + std::to_string(kTrainFileNames.size()) +
                                    " training records (one per batch file), got " + std::to_string(train));
    if (test < 1) throw std::invalid_argument("a synthetic set needs at least 1 test record");
    std::vector<WrittenFile> written;
    const auto counts = train_file_counts(train);
    std::size_t first = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        written.push_back(
            write_cifar_file(dir, kTrainFileNames[i], synthesize_records(seed, SyntheticSplit::train, first, counts[i])));
        first += counts[i];
    }
    written.push_back(write_cifar_file(dir, kTestFileName, synthesize_records(seed, SyntheticSplit::test, 0, test)));
    return written;
}

} // namespace tune::cifar
