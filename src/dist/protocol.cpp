// The protocol's tag names, and the trial a proposal and its result make (see protocol.hpp).
#include "hpo/dist/protocol.hpp"

namespace hpo {

std::optional<Tag> tag_from_number(int number) {
    for (Tag tag : all_tags) {
        if (tag_number(tag) == number) return tag;
    }
    return std::nullopt;
}

std::string tag_name(int number) {
    const auto tag = tag_from_number(number);
    if (!tag) return "unknown tag " + std::to_string(number);
    switch (*tag) {
    case Tag::order: return "order";
    case Tag::result: return "result";
    case Tag::stop: return "stop";
    case Tag::shutdown: return "shutdown";
    case Tag::heartbeat: return "heartbeat";
    case Tag::progress: return "progress";
    case Tag::prune: return "prune";
    }
    return "unknown tag " + std::to_string(number);
}

Trial make_trial(const Proposal& proposal, const WorkResult& result) {
    Trial trial;
    trial.id = proposal.id;
    trial.deme = proposal.deme;
    trial.generation = proposal.generation;
    trial.values = proposal.values;
    trial.parent = proposal.parent;
    trial.member = proposal.member;
    trial.repeat_of = proposal.repeat_of;
    trial.repeat = proposal.repeat;
    trial.status = result.outcome.status;
    trial.fom = result.outcome.fom;
    trial.steps = result.outcome.steps;
    trial.exit_code = result.outcome.exit_code;
    trial.signal = result.outcome.signal;
    trial.start_time = result.outcome.start_time;
    trial.end_time = result.outcome.end_time;
    trial.host = result.host;
    trial.worker = result.worker;
    trial.message = result.outcome.message;
    return trial;
}

}  // namespace hpo
