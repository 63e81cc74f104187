// tune-worker: runs trials for the host. It reads framed requests on kWorkerRequestFd and
// writes replies on kWorkerReplyFd (core/worker/message.hpp); stdout and stderr belong to the
// trainable (the host sends them to a log file).
//
// `tune-worker --describe LIBRARY` is the other mode: load one plugin library, print its
// description as JSON on stdout and exit (core/plugin/worker_describer.hpp). The host reads
// descriptors this way so that it never loads a trainable's library itself.
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/plugin/worker_describer.hpp"
#include "core/worker/message.hpp"
#include "core/worker/trial_runner.hpp"

namespace {

bool send(const tune::core::Message &message) { return tune::core::write_frame(tune::core::kWorkerReplyFd, message); }

} // namespace

int main(int argc, char **argv) {
    using namespace tune::core;
    if (argc >= 2 && std::strcmp(argv[1], "--describe") == 0) {
        if (argc != 3) {
            std::fprintf(stderr, "usage: tune-worker --describe LIBRARY\n");
            return 2;
        }
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a library that hangs while loading ends with its host
        return run_describe_mode(argv[2]);
    }
    if (argc > 1) {
        std::fprintf(stderr, "tune-worker: unknown argument '%s' (the host starts workers; see --describe)\n", argv[1]);
        return 2;
    }
    // Ctrl-C in the terminal reaches the whole process group; the host decides when workers
    // stop, so the worker ignores SIGINT and exits on Shutdown or when the host goes away.
    std::signal(SIGINT, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);
    // A host killed outright (SIGKILL, OOM) closes no pipe the worker is reading while a
    // trainable hangs: have the kernel end the worker with its host.
    const pid_t host = ::getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != host) return 1; // the host died before prctl took effect

    if (!send(ready_message(::getpid()))) return 1;

    TrialRunner runner;
    FrameDecoder decoder;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(kWorkerRequestFd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0; // the host closed the pipe: nothing more to do
        std::vector<Message> requests;
        try {
            requests = decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        } catch (const std::exception &e) {
            std::fprintf(stderr, "tune-worker: %s\n", e.what());
            return 1;
        }
        // Each reply leaves as soon as it exists, also while Steps the host queued ahead wait:
        // a crash or hang in the next step must not take the results before it along.
        for (const auto &request : requests) {
            if (request.type == MessageType::Shutdown) return 0;
            if (!send(runner.handle(request))) return 1;
        }
    }
}
