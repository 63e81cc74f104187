// The seam between the registry and the way a library's descriptors are read: in this
// process (loading it), in a tune-worker child (WorkerDescriber), or from the descriptor
// cache (CachingDescriber). Tests count or script the calls through it.
#pragma once

#include <filesystem>

#include "core/plugin/library_description.hpp"

namespace tune::core {

class LibraryDescriber {
public:
    virtual ~LibraryDescriber() = default;
    // Describes one library file. Never throws for a bad library: its error is in the result.
    virtual LibraryDescription describe(const std::filesystem::path &file) = 0;
};

// Loads each library into this process (the registry's behaviour before describing moved to
// a child; kept as the fallback, TUNE_PLUGIN_SCAN=in-process, and for tests and tools that
// want every library loaded).
class InProcessDescriber final : public LibraryDescriber {
public:
    LibraryDescription describe(const std::filesystem::path &file) override { return describe_in_process(file); }
};

} // namespace tune::core
