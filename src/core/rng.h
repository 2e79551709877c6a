#pragma once
// One --seed drives all randomness. Each component derives its own stream from the seed and a
// name, so adding randomness in one stage never shifts the numbers of another.
#include <cstdint>
#include <random>
#include <string_view>

namespace rumi {

inline constexpr std::uint64_t kDefaultSeed = 42;

using Rng = std::mt19937_64;

// splitmix64 over (seed, FNV-1a of the stream name).
std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream);
inline Rng make_rng(std::uint64_t seed, std::string_view stream) { return Rng(derive_seed(seed, stream)); }
// Uniform in [0, n) without the libstdc++-specific distribution algorithm (portable numbers).
std::uint64_t uniform_index(Rng& rng, std::uint64_t n);
// Uniform double in [0, 1) from the top 53 bits.
double uniform01(Rng& rng);
// Standard normal by Box-Muller on uniform01 (portable: std::normal_distribution's algorithm
// differs between standard libraries).
double standard_normal(Rng& rng);

}  // namespace rumi
