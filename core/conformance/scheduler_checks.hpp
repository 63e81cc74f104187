// Checks of the scheduler contract, on synthetic result streams: every decision and choice
// is valid (decisions), and a restored state makes the same decisions (save_restore).
#pragma once

#include "core/conformance/check_catalog.hpp"

namespace tune::conformance {

CheckNote check_scheduler_decisions(const CheckSubject &subject);
CheckNote check_scheduler_save_restore(const CheckSubject &subject);

} // namespace tune::conformance
