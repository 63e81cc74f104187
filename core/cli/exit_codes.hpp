// Exit statuses of the tune executable (documented in docs/cli.md).
#pragma once

namespace tune::cli {

inline constexpr int kExitSuccess = 0;      // the command did what was asked
inline constexpr int kExitFailure = 1;      // it ran but failed (e.g. every trial errored), or an internal error
inline constexpr int kExitUsage = 2;        // bad command line, experiment file or config value
inline constexpr int kExitPlugin = 3;       // a plugin could not be found, loaded or trusted
inline constexpr int kExitInterrupted = 130; // stopped by Ctrl-C (SIGINT)

} // namespace tune::cli
