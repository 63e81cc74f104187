// Checks of the searcher contract: suggestions lie within the space (suggestions_in_space),
// a seed reproduces the sequence (reproducible), "finished" and "not ready" are answered
// sensibly (finished_not_ready), and a restored state continues the sequence (save_restore).
#pragma once

#include "core/conformance/check_catalog.hpp"

namespace tune::conformance {

CheckNote check_searcher_suggestions_in_space(const CheckSubject &subject);
CheckNote check_searcher_reproducible(const CheckSubject &subject);
CheckNote check_searcher_finished_not_ready(const CheckSubject &subject);
CheckNote check_searcher_save_restore(const CheckSubject &subject);

} // namespace tune::conformance
