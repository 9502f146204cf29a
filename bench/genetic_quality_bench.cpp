// In-process search quality of the genetic strategy (issue 16): GeneticStrategy's ask/tell run
// directly on the analytic test functions of bench/quality/test_functions.h, no kernels, no
// processes, so that a change to the breeding can be measured in seconds. The final figures come
// from the real CLI (bench/genetic_quality.sh); this is for experiments.
//
//   genetic_quality_bench [--problems branin,hartmann6,ackley5,rosenbrock4,levy6,poly7]
//                         [--budgets 50,100,200] [--seeds 10] [--first-seed 1] [--demes 1] [--workers 1]
//                         [--mode generational|steady-state] [--pop-size N] [--elites N]
//                         [--mutation-rate P] [--crossover-rate P] [--migration-interval N] [--random]
//                         [--oldest-first]
//
// Seeds first-seed .. first-seed + seeds - 1 (1..10 are the CLI bench's: give --first-seed 11 to
// check a change on seeds it was not chosen on). Each (problem, budget, seed) is a run of `--evals budget` (the budget option, as a user would
// give it); --workers W keeps W proposals in flight, as W workers would, and tells them back in
// a random order seeded by the run's seed (results do not come back in the order they were asked);
// --oldest-first tells them back in the order asked instead (kernels of equal length: the CLI's
// quality benchmark under mpirun comes close to this). --random runs
// uniform random points instead (the default point excluded). Prints, per problem, the best FoM
// at each budget as `median [q1, q3]` over the seeds, and a last line with every median.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "hpo/strategy/genetic.hpp"
#include "quality/test_functions.h"

namespace {

struct Problem {
    std::string name;
    std::size_t dim;
    double lo, hi;
    double (*f)(const double*);
};

double branin(const double* x) { return hpo_branin(x); }
double hartmann6(const double* x) { return hpo_hartmann6(x); }
double ackley5(const double* x) { return hpo_ackley(x, 5); }
double rosenbrock4(const double* x) { return hpo_rosenbrock(x, 4); }
double levy6(const double* x) { return hpo_levy(x, 6); }
double poly7(const double* x) { return hpo_poly7(x); }

const std::vector<Problem>& all_problems() {
    static const std::vector<Problem> problems = {
        {"branin", 2, 0, 0, branin},          {"hartmann6", 6, 0, 1, hartmann6},
        {"ackley5", 5, -32.768, 32.768, ackley5}, {"rosenbrock4", 4, -5, 10, rosenbrock4},
        {"levy6", 6, -10, 10, levy6},         {"poly7", 7, -10, 10, poly7},
    };
    return problems;
}

hpo::SearchSpace space_of(const Problem& p) {
    std::vector<hpo::Parameter> params;
    for (std::size_t i = 0; i < p.dim; ++i) {
        double lo = p.lo, hi = p.hi;
        if (p.name == "branin") lo = i == 0 ? -5 : 0, hi = i == 0 ? 10 : 15;
        params.push_back(hpo::Parameter::float_range("--x" + std::to_string(i), lo, hi));
    }
    return hpo::SearchSpace(std::move(params));
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string word; std::getline(in, word, ',');) out.push_back(word);
    return out;
}

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

struct Settings {
    hpo::GeneticOptions options;
    std::size_t workers = 1;
    bool random = false;
    bool oldest_first = false;  // tell results back in the order asked, not in a random order
};

double run(const Problem& p, std::size_t budget, std::uint64_t seed, const Settings& s) {
    const hpo::SearchSpace space = space_of(p);
    double best = INFINITY;
    if (s.random) {
        std::mt19937_64 rng(seed);
        for (std::size_t i = 0; i < budget; ++i) best = std::min(best, p.f(space.random_point(rng).data()));
        return best;
    }
    hpo::GeneticOptions options = s.options;
    options.evals = budget;
    hpo::SearchSettings settings;
    settings.seed = seed;
    hpo::GeneticStrategy strategy(space, options, settings);
    std::deque<hpo::Proposal> in_flight;
    std::size_t told = 0;
    std::mt19937_64 order(seed ^ 0x9e3779b97f4a7c15ULL);  // the order in which results come back
    while (true) {
        while (in_flight.size() < s.workers) {
            auto more = strategy.ask(1);
            if (more.empty()) break;
            in_flight.push_back(std::move(more.front()));
        }
        if (in_flight.empty()) break;
        const std::size_t pick =
            s.workers > 1 && !s.oldest_first ? std::uniform_int_distribution<std::size_t>(0, in_flight.size() - 1)(order) : 0;
        hpo::Proposal proposal = std::move(in_flight[pick]);
        in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(pick));
        hpo::Trial trial;
        trial.id = proposal.id;
        trial.values = proposal.values;
        trial.fom = p.f(proposal.values.data());
        best = std::min(best, trial.fom);
        strategy.tell(trial);
        ++told;
    }
    if (told != budget) {
        std::fprintf(stderr, "%s: %zu evaluations for a budget of %zu\n", p.name.c_str(), told, budget);
        std::exit(1);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> problems = {"branin", "hartmann6", "ackley5", "rosenbrock4", "levy6", "poly7"};
    std::vector<std::size_t> budgets = {50, 100, 200};
    std::size_t seeds = 10, first_seed = 1;
    Settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--problems") problems = split(value());
        else if (arg == "--budgets") {
            budgets.clear();
            for (const auto& b : split(value())) budgets.push_back(std::stoul(b));
        } else if (arg == "--seeds") seeds = std::stoul(value());
        else if (arg == "--first-seed") first_seed = std::stoul(value());
        else if (arg == "--demes") s.options.num_demes = std::stoi(value());
        else if (arg == "--workers") s.workers = std::stoul(value());
        else if (arg == "--mode") s.options.mode = hpo::genetic_mode_from_string(value());
        else if (arg == "--pop-size") s.options.pop_size = std::stoi(value());
        else if (arg == "--elites") s.options.elites = std::stoi(value());
        else if (arg == "--migration-interval") s.options.migration_interval = std::stoi(value());
        else if (arg == "--mutation-rate") s.options.mutation_rate = std::stod(value());
        else if (arg == "--crossover-rate") s.options.crossover_rate = std::stod(value());
        else if (arg == "--random") s.random = true;
        else if (arg == "--oldest-first") s.oldest_first = true;
        else {
            std::fprintf(stderr, "unknown argument %s (see the comment at the top of genetic_quality_bench.cpp)\n",
                         arg.c_str());
            return 2;
        }
    }
    std::string medians;
    for (const std::string& name : problems) {
        const auto it = std::find_if(all_problems().begin(), all_problems().end(),
                                     [&](const Problem& p) { return p.name == name; });
        if (it == all_problems().end()) {
            std::fprintf(stderr, "unknown problem %s\n", name.c_str());
            return 2;
        }
        std::printf("%-12s", name.c_str());
        for (std::size_t budget : budgets) {
            std::vector<double> best;
            for (std::size_t seed = first_seed; seed < first_seed + seeds; ++seed) best.push_back(run(*it, budget, seed, s));
            const double median = quantile(best, 0.5);
            std::printf("  @%zu %.5g [%.4g, %.4g]", budget, median, quantile(best, 0.25), quantile(best, 0.75));
            char cell[32];
            std::snprintf(cell, sizeof cell, " %.4g", median);
            medians += cell;
        }
        std::printf("\n");
    }
    std::printf("medians:%s\n", medians.c_str());
    return 0;
}
