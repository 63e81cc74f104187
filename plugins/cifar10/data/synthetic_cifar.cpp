#include "synthetic_cifar.hpp"

#include "cifar_format.hpp"
#include "split_mix64.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace tune::cifar {
namespace {

// One distinct colour per class, so even the mean colour separates most classes.
constexpr std::array<std::array<int, 3>, kClassCount> kClassColours = {{
    {230, 40, 40}, {40, 200, 40}, {50, 70, 230}, {230, 210, 40}, {210, 50, 210},
    {40, 210, 210}, {240, 140, 30}, {140, 80, 30}, {200, 200, 200}, {120, 40, 160},
}};

constexpr double kPi = 3.14159265358979323846;

// The class's pattern strength at (x, y) in [0, 1]; (dx, dy) is the image's random shift.
double pattern(std::uint8_t label, double x, double y, double dx, double dy) {
    const double u = x + dx, v = y + dy;
    const double cx = u - 15.5, cy = v - 15.5;
    switch (label) {
    case 0: return 0.5 + 0.5 * std::sin(2 * kPi * v / 8);            // horizontal stripes
    case 1: return 0.5 + 0.5 * std::sin(2 * kPi * u / 8);            // vertical stripes
    case 2: return 0.5 + 0.5 * std::sin(2 * kPi * (u + v) / 10);     // diagonal stripes
    case 3: return 0.5 + 0.5 * std::sin(2 * kPi * (u - v) / 10);     // anti-diagonal stripes
    case 4: return (static_cast<int>(std::floor(u / 8)) + static_cast<int>(std::floor(v / 8))) % 2 ? 1.0 : 0.0;
    case 5: return std::exp(-(cx * cx + cy * cy) / (2 * 6.0 * 6.0)); // centre blob
    case 6: return std::exp(-std::pow(std::sqrt(cx * cx + cy * cy) - 10, 2) / 8.0); // ring
    case 7: return 0.5 + 0.5 * std::sin(2 * kPi * v / 4);            // fine horizontal stripes
    case 8: return 0.5 + 0.5 * std::sin(2 * kPi * u / 4);            // fine vertical stripes
    default: return std::clamp((u + v) / 62.0, 0.0, 1.0);            // corner-to-corner gradient
    }
}

double uniform(SplitMix64 &random) { return static_cast<double>(random.next() >> 11) * 0x1.0p-53; }

std::uint64_t record_seed(std::uint64_t seed, SyntheticSplit split, std::size_t index) {
    SplitMix64 base(seed ^ (static_cast<std::uint64_t>(split) << 56));
    return SplitMix64(base.next() + index).next();
}

} // namespace

std::vector<std::uint8_t> synthesize_records(std::uint64_t seed, SyntheticSplit split, std::size_t first,
                                             std::size_t count) {
    std::vector<std::uint8_t> records(count * kRecordBytes);
    for (std::size_t r = 0; r < count; ++r) {
        SplitMix64 random(record_seed(seed, split, first + r));
        std::uint8_t *record = records.data() + r * kRecordBytes;
        const auto label = static_cast<std::uint8_t>(random.below(kClassCount));
        const double dx = 3 * uniform(random), dy = 3 * uniform(random);
        const double brightness = 0.7 + 0.5 * uniform(random);
        record[0] = label;
        std::uint8_t *pixels = record + kLabelBytes;
        for (std::size_t y = 0; y < kImageSide; ++y) {
            for (std::size_t x = 0; x < kImageSide; ++x) {
                const double strength = pattern(label, static_cast<double>(x), static_cast<double>(y), dx, dy);
                for (std::size_t channel = 0; channel < kChannels; ++channel) {
                    const double noise = 120 * (uniform(random) - 0.5);
                    const double value = 20 + brightness * strength * kClassColours[label][channel] + noise;
                    pixels[channel * kPlaneBytes + y * kImageSide + x] =
                        static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L));
                }
            }
        }
    }
    return records;
}

} // namespace tune::cifar
