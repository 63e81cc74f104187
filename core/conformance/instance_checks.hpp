// Checks that apply to a plugin of every kind: instances are created and destroyed cleanly
// (create_destroy), bad configs are errors with messages (invalid_config), and no call
// crashes after an error or before setup (calls_after_error).
#pragma once

#include "core/conformance/check_catalog.hpp"

namespace tune::conformance {

CheckNote check_create_destroy(const CheckSubject &subject);
CheckNote check_invalid_config(const CheckSubject &subject);
CheckNote check_calls_after_error(const CheckSubject &subject);

} // namespace tune::conformance
