// The two ways an experiment as a whole fails, as the CLI reports them.
#pragma once

#include <stdexcept>

namespace tune::core {

// Before any trial runs, a problem with the experiment as a whole (its folder holds another
// experiment or is locked, a trial can never fit the resources). The CLI maps it to exit 2.
class ExperimentSetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file or folder of the experiment could not be written (a full disk, no permission): the
// run stops, resumably, and the CLI says how to resume it. Thrown by whatever writes the
// experiment's files (trial records, checkpoints, the state), so that callers need not wrap.
class DiskError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace tune::core
