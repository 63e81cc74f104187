// Checks of a library file as a whole: it loads and exports the entry (load), was built for
// this host's ABI (abi_version), and describes well-formed, unique plugins (descriptors).
// They read the entry directly rather than through core::PluginLibrary, so that each
// failure is reported by the check it belongs to.
#pragma once

#include "core/conformance/check_catalog.hpp"

namespace tune::conformance {

CheckNote check_load(const CheckSubject &subject);
CheckNote check_abi_version(const CheckSubject &subject);
// Its data holds "plugins": [{"id", "kind"}], which the runner uses to plan the other checks.
CheckNote check_descriptors(const CheckSubject &subject);

} // namespace tune::conformance
