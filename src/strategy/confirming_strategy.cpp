// Confirmation around any strategy: ids both ways, repeats in the idle slots, the state of both
// (see confirming_strategy.hpp).
#include "hpo/strategy/confirming_strategy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "state_text.hpp"

namespace hpo {

namespace {

constexpr int state_version = 1;
constexpr std::string_view state_name = "confirm";
constexpr std::int64_t none = -1;

std::int64_t id_or_none(const std::optional<TrialId>& id) { return id ? static_cast<std::int64_t>(*id) : none; }

std::optional<TrialId> read_optional_id(detail::StateReader& in, TrialId next_id) {
    const std::int64_t id = in.signed_number();
    if (id == none) return std::nullopt;
    if (id < 0 || static_cast<TrialId>(id) >= next_id) in.fail("trial " + std::to_string(id) + " was never proposed");
    return static_cast<TrialId>(id);
}

void write_proposal(detail::StateWriter& out, const Proposal& p) {
    out << p.deme << p.generation << p.member << id_or_none(p.parent) << p.values;
}

void read_proposal(detail::StateReader& in, Proposal& p, const SearchSpace& space, TrialId next_id) {
    p.deme = in.int_number(0, 1 << 30);
    p.generation = in.int_number(0, 1 << 30);
    p.member = in.int_number(0, 1 << 30);
    p.parent = read_optional_id(in, next_id);
    p.values = in.point(space);
}

}  // namespace

// Passes the inner strategy's generation ends and migrations on, with the migrant's id as this
// strategy gave it.
class ConfirmingStrategy::Forward final : public StrategyObserver {
public:
    explicit Forward(ConfirmingStrategy& owner) : owner_(owner) {}
    void on_generation_end(const GenerationSummary& summary) override {
        if (auto* to = owner_.observer()) to->on_generation_end(summary);
    }
    void on_migration(const Migration& migration) override {
        auto* to = owner_.observer();
        if (!to) return;
        Migration outer = migration;
        if (auto it = owner_.outer_of_inner_.find(migration.individual); it != owner_.outer_of_inner_.end())
            outer.individual = it->second;
        to->on_migration(outer);
    }

private:
    ConfirmingStrategy& owner_;
};

ConfirmingStrategy::ConfirmingStrategy(std::unique_ptr<Strategy> inner, SearchSpace space, Settings settings)
    : inner_(std::move(inner)), space_(std::move(space)), settings_(settings), forward_(std::make_unique<Forward>(*this)) {
    if (!inner_) throw std::invalid_argument("confirmation needs a strategy to confirm the results of");
    if (settings_.top < 1) throw std::invalid_argument("confirm_top must be >= 1, got " + std::to_string(settings_.top));
    if (settings_.repeats < 1)
        throw std::invalid_argument("confirm_repeats must be >= 1, got " + std::to_string(settings_.repeats));
    inner_->set_observer(forward_.get());
}

ConfirmingStrategy::~ConfirmingStrategy() { inner_->set_observer(nullptr); }

bool ConfirmingStrategy::better(const Original& a, const Original& b) const {
    if (a.loss != b.loss) return a.loss < b.loss;
    return a.proposal.id < b.proposal.id;
}

Proposal ConfirmingStrategy::outer_proposal(Proposal p) const {
    const auto id = outer_of_inner_.find(p.id);
    if (id == outer_of_inner_.end()) throw std::logic_error("confirmation: inner trial " + std::to_string(p.id) + " has no id");
    p.id = id->second;
    if (p.parent) {
        const auto parent = outer_of_inner_.find(*p.parent);
        if (parent == outer_of_inner_.end())
            throw std::logic_error("confirmation: inner parent " + std::to_string(*p.parent) + " has no id");
        p.parent = parent->second;
    }
    return p;
}

Trial ConfirmingStrategy::inner_trial(Trial t) const {
    t.id = inner_of_outer_.at(t.id);
    if (t.parent) t.parent = inner_of_outer_.at(*t.parent);
    return t;
}

std::vector<Proposal> ConfirmingStrategy::ask(std::size_t max_count, int deme) {
    std::vector<Proposal> proposals;
    if (!inner_->exhausted()) {
        for (Proposal& p : inner_->ask(max_count, deme)) {
            const TrialId outer = next_id_++;
            outer_of_inner_[p.id] = outer;
            inner_of_outer_[outer] = p.id;
            pending_originals_.insert(outer);
            proposals.push_back(outer_proposal(std::move(p)));
        }
    }
    while (proposals.size() < max_count) {
        std::optional<Proposal> repeat = next_repeat(deme);
        if (!repeat) break;
        proposals.push_back(std::move(*repeat));
    }
    return proposals;
}

// The top original lacking repeats with the fewest proposed, the better first; one of `deme`'s if
// there is one, else any (at the end of a run the idle workers of every deme confirm).
std::optional<Proposal> ConfirmingStrategy::next_repeat(int deme) {
    const Original* chosen = nullptr;
    int chosen_count = 0;
    for (int pass = 0; pass < 2 && !chosen; ++pass) {
        for (const Original& original : top_) {
            if (pass == 0 && deme != any_deme && original.proposal.deme != deme) continue;
            const auto found = repeats_proposed_.find(original.proposal.id);
            const int count = found == repeats_proposed_.end() ? 0 : found->second;
            if (count >= settings_.repeats) continue;
            if (!chosen || count < chosen_count) {
                chosen = &original;
                chosen_count = count;
            }
        }
    }
    if (!chosen) return std::nullopt;
    Proposal repeat = chosen->proposal;
    repeat.id = next_id_++;
    repeat.repeat_of = chosen->proposal.id;
    repeat.repeat = ++repeats_proposed_[chosen->proposal.id];
    pending_repeats_[repeat.id] = repeat;
    return repeat;
}

void ConfirmingStrategy::consider(const Trial& trial) {
    const double loss = loss_of(trial, settings_.maximize);
    if (!std::isfinite(loss)) return;
    Original original;
    original.proposal = Proposal{trial.id, trial.deme, trial.generation, trial.values, trial.parent, trial.member, {}, 0};
    original.loss = loss;
    const auto at = std::find_if(top_.begin(), top_.end(), [&](const Original& o) { return better(original, o); });
    if (static_cast<std::size_t>(at - top_.begin()) >= static_cast<std::size_t>(settings_.top)) return;
    top_.insert(at, std::move(original));
    if (top_.size() > static_cast<std::size_t>(settings_.top)) top_.pop_back();
}

void ConfirmingStrategy::tell(const Trial& trial) {
    if (trial.repeat_of) {
        if (pending_repeats_.erase(trial.id) == 0)
            throw std::invalid_argument("confirmation: told repeat " + std::to_string(trial.id) + ", which is not pending");
        return;  // never the inner strategy's business
    }
    if (pending_originals_.erase(trial.id) == 0)
        throw std::invalid_argument(std::string(name()) + ": told trial " + std::to_string(trial.id) + ", which is not pending");
    inner_->tell(inner_trial(trial));
    consider(trial);
}

bool ConfirmingStrategy::exhausted() const {
    if (!inner_->exhausted() || !pending_originals_.empty()) return false;
    for (const Original& original : top_) {
        const auto count = repeats_proposed_.find(original.proposal.id);
        if (count == repeats_proposed_.end() || count->second < settings_.repeats) return false;
    }
    return true;
}

std::size_t ConfirmingStrategy::planned_evaluations() const {
    const std::size_t inner = inner_->planned_evaluations();
    return inner == 0 ? 0 : inner + static_cast<std::size_t>(settings_.top) * static_cast<std::size_t>(settings_.repeats);
}

std::vector<Proposal> ConfirmingStrategy::pending() const {
    std::vector<Proposal> proposals;
    for (Proposal& p : inner_->pending()) proposals.push_back(outer_proposal(std::move(p)));
    for (const auto& [id, repeat] : pending_repeats_) proposals.push_back(repeat);
    std::sort(proposals.begin(), proposals.end(), [](const Proposal& a, const Proposal& b) { return a.id < b.id; });
    return proposals;
}

std::vector<TrialId> ConfirmingStrategy::inheritable() const {
    std::vector<TrialId> ids;
    for (TrialId id : inner_->inheritable()) {
        if (auto it = outer_of_inner_.find(id); it != outer_of_inner_.end()) ids.push_back(it->second);
    }
    for (const Original& original : top_) {
        const auto count = repeats_proposed_.find(original.proposal.id);
        const bool lacking = count == repeats_proposed_.end() || count->second < settings_.repeats;
        if (lacking && original.proposal.parent) ids.push_back(*original.proposal.parent);
    }
    return ids;
}

// The ids as runs (outer, inner, length): they break only where repeats were inserted, so the
// state grows with the repeats, not with the trials. Then the inner strategy's state as it is.
std::string ConfirmingStrategy::save_state() const {
    detail::StateWriter out(state_name, state_version);
    out.dimension(space_);
    out.line("next-id") << next_id_;
    for (auto it = outer_of_inner_.begin(); it != outer_of_inner_.end();) {
        const TrialId inner = it->first, outer = it->second;
        std::uint64_t length = 1;
        for (++it; it != outer_of_inner_.end() && it->first == inner + length && it->second == outer + length; ++it) ++length;
        out.line("ids") << outer << inner << length;
    }
    for (const auto& [original, count] : repeats_proposed_) out.line("count") << original << count;
    for (const Original& original : top_) {
        out.line("top") << original.proposal.id << original.loss;
        write_proposal(out, original.proposal);
    }
    for (const auto& [id, repeat] : pending_repeats_) {
        out.line("repeat") << id << *repeat.repeat_of << repeat.repeat;
        write_proposal(out, repeat);
    }
    return out.finish() + inner_->save_state();
}

void ConfirmingStrategy::load_state(std::string_view state) { restore(state, {}); }

void ConfirmingStrategy::restore(std::string_view state, std::span<const Trial> history) {
    const std::string header = "hpo-strategy " + std::string(state_name) + " ";
    if (state.substr(0, header.size()) != header) {
        // The inner strategy's own state: a run that confirmed nothing. Its ids are this strategy's.
        std::vector<Trial> originals;
        for (const Trial& trial : history) {
            if (trial.repeat_of) throw std::invalid_argument("confirmation: a repeat without a confirmation state");
            originals.push_back(trial);
        }
        inner_->restore(state, originals);
        std::map<TrialId, TrialId> ids;
        TrialId next_id = 0;
        std::set<TrialId> pending;
        for (const Trial& trial : originals) ids[trial.id] = trial.id, next_id = std::max(next_id, trial.id + 1);
        for (const Proposal& p : inner_->pending()) {
            ids[p.id] = p.id, next_id = std::max(next_id, p.id + 1);
            pending.insert(p.id);
        }
        outer_of_inner_ = ids;
        inner_of_outer_ = ids;
        next_id_ = next_id;
        repeats_proposed_.clear();
        pending_repeats_.clear();
        pending_originals_ = std::move(pending);
        top_.clear();
        for (const Trial& trial : originals) consider(trial);
        return;
    }
    const std::size_t end = state.find("\nend\n");
    if (end == std::string_view::npos) throw std::invalid_argument("confirm state: truncated (no 'end' line)");
    detail::StateReader in(state.substr(0, end + 5), state_name, state_version);
    in.dimension(space_);
    in.line("next-id");
    const TrialId next_id = in.unsigned_number();
    std::map<TrialId, TrialId> outer_of_inner, inner_of_outer;
    while (in.next_key() == "ids") {
        in.line("ids");
        const TrialId outer = in.unsigned_number(), inner = in.unsigned_number();
        const std::uint64_t length = in.unsigned_number(1, next_id);
        if (outer + length > next_id) in.fail("ids beyond next-id");
        for (std::uint64_t i = 0; i < length; ++i) {
            if (!outer_of_inner.emplace(inner + i, outer + i).second || !inner_of_outer.emplace(outer + i, inner + i).second)
                in.fail("an id given twice");
        }
    }
    std::map<TrialId, int> repeats_proposed;
    while (in.next_key() == "count") {
        in.line("count");
        const TrialId original = in.unsigned_number(0, next_id - 1);
        repeats_proposed[original] = in.int_number(1, 1 << 30);
    }
    std::vector<Original> top;
    while (in.next_key() == "top") {
        in.line("top");
        Original original;
        original.proposal.id = in.unsigned_number(0, next_id - 1);
        original.loss = in.real();
        read_proposal(in, original.proposal, space_, next_id);
        top.push_back(std::move(original));
    }
    std::map<TrialId, Proposal> pending_repeats;
    while (in.next_key() == "repeat") {
        in.line("repeat");
        Proposal repeat;
        repeat.id = in.unsigned_number(0, next_id - 1);
        repeat.repeat_of = in.unsigned_number(0, next_id - 1);
        repeat.repeat = in.int_number(1, 1 << 30);
        read_proposal(in, repeat, space_, next_id);
        pending_repeats[repeat.id] = std::move(repeat);
    }
    in.finish();

    std::vector<Trial> originals;
    for (const Trial& trial : history) {
        if (trial.repeat_of) continue;
        const auto inner = inner_of_outer.find(trial.id);
        if (inner == inner_of_outer.end())
            throw std::invalid_argument("confirm state: trial " + std::to_string(trial.id) + " of the history was never proposed");
        Trial t = trial;
        t.id = inner->second;
        if (t.parent) t.parent = inner_of_outer.at(*t.parent);
        originals.push_back(std::move(t));
    }
    inner_->restore(state.substr(end + 5), originals);  // throws, leaving this strategy as it was

    std::set<TrialId> pending_originals;
    for (const Proposal& p : inner_->pending()) {
        const auto outer = outer_of_inner.find(p.id);
        if (outer == outer_of_inner.end())
            throw std::invalid_argument("confirm state: the inner strategy's pending trial " + std::to_string(p.id) + " has no id");
        pending_originals.insert(outer->second);
    }
    next_id_ = next_id;
    outer_of_inner_ = std::move(outer_of_inner);
    inner_of_outer_ = std::move(inner_of_outer);
    repeats_proposed_ = std::move(repeats_proposed);
    // With the history, the top K is ranked anew from it: a resume may raise K, and the
    // originals beyond the stored top are known there only.
    top_.clear();
    if (history.empty()) {
        top_ = std::move(top);
        if (top_.size() > static_cast<std::size_t>(settings_.top)) top_.resize(static_cast<std::size_t>(settings_.top));
    } else {
        for (const Trial& trial : history)
            if (!trial.repeat_of) consider(trial);
    }
    pending_repeats_ = std::move(pending_repeats);
    pending_originals_ = std::move(pending_originals);
}

}  // namespace hpo
