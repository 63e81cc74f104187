// What a state read back must hold before any of it is used: every name that becomes a path
// is one the engine could have written, every status is known, and every JSON field parses.
// A copy that fails is corrupt, like one with a bad checksum, so StateStore falls back to the
// previous copy. Nothing read back is trusted as a path: a trial id "00002/../../x" with a
// recomputed checksum must not make resume write outside the experiment folder.
#pragma once

#include "core/state/experiment_state.hpp"
#include "core/state/state_input_archive.hpp"

namespace tune::core {

// Throws StateFormatError naming the trial and field. Checks, for trial i: its id is i written
// as the engine writes it ("00007"); its status is one the engine saves; its checkpoints are
// "trial_<id>/checkpoint_<iteration>[_gen<n>]" of a trial in this state; its lineage and
// pending exploit name trials in this state; its config, result and lineage JSON parse. And
// that experiment_json parses as a JSON object (the definition itself is checked by the
// caller, which knows the experiment format).
void check_state(const ExperimentState &state);

} // namespace tune::core
