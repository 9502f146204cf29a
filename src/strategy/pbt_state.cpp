// The pbt strategy's saved state: the generator, the counter and every member, as text.
//
// A member's line holds its rounds proposed, its round in flight (the pending trial: its values and
// parent are the member's `values` and `checkpoint`), whether its next round is decided, and its
// checkpoint; then its hyperparameters, then its latest told round (id, loss, ok, values). Before
// the members: the first round not yet reported to the observer, the run's best FoM, and the
// counts of each round begun and not yet reported.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "hpo/strategy/pbt.hpp"
#include "state_text.hpp"

namespace hpo {
namespace {

constexpr int state_version = 1;

void write_id(detail::StateWriter& out, const std::optional<TrialId>& id) {
    if (id) out << *id;
    else out << "none";
}

// An id written by write_id; a trial id must have been proposed (below `next_id`).
std::optional<TrialId> read_id(detail::StateReader& in, TrialId next_id, const char* what) {
    if (in.peek() == "none") {
        in.word();
        return std::nullopt;
    }
    const TrialId id = in.unsigned_number();
    if (id >= next_id)
        in.fail(std::string(what) + " trial " + std::to_string(id) + " was never proposed (next-id is " +
                std::to_string(next_id) + ")");
    return id;
}

}  // namespace

[[noreturn]] void PbtStrategy::beyond_rounds(detail::StateReader& in, std::uint64_t rounds) const {
    in.fail("the state has begun " + std::to_string(rounds) + " rounds, beyond rounds (" +
            std::to_string(options_.rounds) + ")");
}

std::string PbtStrategy::save_state() const {
    detail::StateWriter out(name(), state_version);
    out.dimension(space_);
    out.line("population") << members_.size();
    out.line("next-id") << next_id_;
    out.line("rng") << rng_;
    out.line("next-report") << next_report_;
    out.line("best-fom") << best_fom_;
    // The rounds begun and not yet reported; the others are all zero or spent.
    for (std::size_t r = static_cast<std::size_t>(next_report_); r < rounds_.size(); ++r) {
        const RoundStats& stats = rounds_[r];
        if (stats.told == 0) continue;
        out.line("round") << r << stats.told << stats.failed << stats.pruned << stats.ok << stats.sum << stats.best;
    }
    for (std::size_t i = 0; i < members_.size(); ++i) {
        const Member& m = members_[i];
        out.line("member") << i << m.rounds;
        write_id(out, m.running);
        out << m.decided;
        write_id(out, m.checkpoint);
        out.line("values") << m.values;
        out.line("latest");
        write_id(out, m.latest);
        if (m.latest) out << m.loss << m.latest_ok << m.latest_values;
    }
    return out.finish();
}

// Parsed whole before anything changes, so a rejected state leaves the strategy as it was.
void PbtStrategy::load_state(std::string_view state) {
    detail::StateReader in(state, name(), state_version);
    in.dimension(space_);
    in.line("population");
    if (in.unsigned_number() != members_.size())
        in.fail("another population than this strategy's " + std::to_string(members_.size()));
    in.line("next-id");
    const TrialId next_id = in.unsigned_number();
    in.line("rng");
    std::mt19937_64 rng;
    in.rng(rng);
    in.line("next-report");
    const int next_report = in.int_number(0, std::numeric_limits<int>::max());
    // A resume may add rounds, not drop those already proposed (a state's rounds are checked so).
    if (next_report > options_.rounds) beyond_rounds(in, next_report);
    in.line("best-fom");
    const double best_fom = in.real();
    const auto population = static_cast<std::uint64_t>(members_.size());
    std::vector<RoundStats> round_stats(static_cast<std::size_t>(options_.rounds));
    for (std::uint64_t from = static_cast<std::uint64_t>(next_report); in.next_key() == "round";) {
        in.line("round");
        const auto r = in.unsigned_number(from, std::numeric_limits<std::uint64_t>::max());
        if (r >= static_cast<std::uint64_t>(options_.rounds)) beyond_rounds(in, r + 1);
        from = r + 1;
        RoundStats& stats = round_stats[static_cast<std::size_t>(r)];
        stats.told = static_cast<std::size_t>(in.unsigned_number(1, population));
        stats.failed = static_cast<std::size_t>(in.unsigned_number(0, stats.told));
        stats.pruned = static_cast<std::size_t>(in.unsigned_number(0, stats.told - stats.failed));
        stats.ok = static_cast<std::size_t>(in.unsigned_number(0, stats.told - stats.failed - stats.pruned));
        stats.sum = in.real();
        stats.best = in.real();
    }

    std::vector<Member> members(members_.size());
    std::map<TrialId, std::size_t> running;
    std::uint64_t rounds = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        Member& m = members[i];
        in.line("member");
        if (in.unsigned_number() != i) in.fail("expected member " + std::to_string(i));
        m.rounds = in.int_number(0, std::numeric_limits<int>::max());
        if (m.rounds > options_.rounds) beyond_rounds(in, m.rounds);
        rounds += static_cast<std::uint64_t>(m.rounds);
        m.running = read_id(in, next_id, "running");
        if (m.running && (m.rounds == 0 || !running.emplace(*m.running, i).second))
            in.fail("member " + std::to_string(i) + " runs trial " + std::to_string(*m.running) +
                    ", which no round of its own can be");
        m.decided = in.flag();
        m.checkpoint = read_id(in, next_id, "checkpoint");
        in.line("values");
        m.values = in.point(space_);
        in.line("latest");
        m.latest = read_id(in, next_id, "latest");
        if (m.latest) {
            m.loss = in.real();
            m.latest_ok = in.flag();
            m.latest_values = in.point(space_);
        }
    }
    // Every proposal is one round of one member.
    if (rounds != next_id)
        in.fail("the members' rounds add up to " + std::to_string(rounds) + ", next-id is " + std::to_string(next_id));
    in.finish();

    rng_ = rng;
    next_report_ = next_report;
    best_fom_ = best_fom;
    rounds_ = std::move(round_stats);
    next_id_ = next_id;
    members_ = std::move(members);
    running_ = std::move(running);
}

}  // namespace hpo
