// Checks of the trainable contract: results are well formed and hold the metric
// (step_results), a seed reproduces them (determinism), a checkpoint restored into a fresh
// instance continues exactly (save_restore), and reset gives a fresh trial (reset).
#pragma once

#include "core/conformance/check_catalog.hpp"

namespace tune::conformance {

CheckNote check_trainable_step_results(const CheckSubject &subject);
CheckNote check_trainable_determinism(const CheckSubject &subject);
CheckNote check_trainable_save_restore(const CheckSubject &subject);
CheckNote check_trainable_reset(const CheckSubject &subject);

} // namespace tune::conformance
