// Shared by the strategy tests: the trial a proposal becomes when its kernel reports.
#pragma once

#include "hpo/trial.hpp"

namespace strategy_test {

// Every field of the proposal (id, deme, generation, values, parent, member), the FoM and the status.
inline hpo::Trial told(const hpo::Proposal& p, double fom, hpo::TrialStatus status = hpo::TrialStatus::ok) {
    hpo::Trial t;
    t.id = p.id;
    t.deme = p.deme;
    t.generation = p.generation;
    t.values = p.values;
    t.parent = p.parent;
    t.member = p.member;
    t.status = status;
    t.fom = fom;
    return t;
}

}  // namespace strategy_test
