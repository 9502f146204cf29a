// Grid search: grid-size points per range with the ends, every option, the product, the initial point first.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "hpo/space/parse.hpp"
#include "hpo/strategy/grid.hpp"

using namespace hpo;
using Catch::Matchers::Contains;

namespace {

// The distinct values parameter i takes; `off_grid_initial` leaves out the initial point, which
// is then not one of the grid's points.
std::vector<double> axis(const GridStrategy& grid, std::size_t i, bool off_grid_initial = false) {
    std::set<double> values;
    for (std::size_t k = off_grid_initial ? 1 : 0; k < grid.points().size(); ++k) values.insert(grid.points()[k][i]);
    return {values.begin(), values.end()};
}

}  // namespace

TEST_CASE("grid: float ranges get grid_size points, ends included", "[grid]") {
    GridStrategy grid(parse_search_space({"--a 0.3 [-1.0,1.0]"}), {.grid_size = 5});
    const auto& points = grid.points();
    REQUIRE(points.size() == 6);
    CHECK(points[0] == Point{0.3});  // the initial point first
    CHECK(axis(grid, 0, true) == std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0});
}

TEST_CASE("grid: log ranges are spaced geometrically", "[grid]") {
    GridStrategy grid(parse_search_space({"--lr 1e-4 [1e-4,1.0] log"}), {.grid_size = 5});
    const auto values = axis(grid, 0);
    REQUIRE(values.size() == 5);
    CHECK(values.front() == 1e-4);
    CHECK(values.back() == 1.0);
    CHECK(values[1] == Approx(1e-3));
    CHECK(values[2] == Approx(1e-2));
    CHECK(values[3] == Approx(1e-1));
}

TEST_CASE("grid: integer ranges take the distinct rounded integers", "[grid]") {
    GridStrategy small(parse_search_space({"--n 1 [1,3]"}), {.grid_size = 5});
    CHECK(axis(small, 0) == std::vector<double>{1, 2, 3});
    CHECK(small.points().size() == 3);  // the default 1 is on the grid: not evaluated twice

    GridStrategy wide(parse_search_space({"--n 1 [0,100]"}), {.grid_size = 3});
    CHECK(axis(wide, 0, true) == std::vector<double>{0, 50, 100});
    CHECK(wide.points().size() == 4);

    GridStrategy log(parse_search_space({"--units 4 [4,256] log"}), {.grid_size = 4});
    CHECK(axis(log, 0) == std::vector<double>{4, 16, 64, 256});
    for (const auto& p : log.points()) CHECK(p[0] == std::floor(p[0]));
}

TEST_CASE("grid: every option of a choice, and the full product in odometer order", "[grid]") {
    const auto space = parse_search_space({"--x 0.25 [0.0,1.0]", "--opt {adam,sgd,rmsprop}", "--n 2 [1,2]"});
    GridStrategy grid(space, {.grid_size = 2}, {.seed = 4});
    const auto& points = grid.points();
    REQUIRE(points.size() == 1 + 2 * 3 * 2);
    CHECK(points[0][0] == 0.25);
    CHECK(points[0][2] == 2.0);
    // The last parameter turns fastest.
    CHECK(points[1] == Point{0.0, 0.0, 1.0});
    CHECK(points[2] == Point{0.0, 0.0, 2.0});
    CHECK(points[3] == Point{0.0, 1.0, 1.0});
    CHECK(points.back() == Point{1.0, 2.0, 2.0});
    std::set<Point> distinct(points.begin(), points.end());
    CHECK(distinct.size() == points.size());
    for (const auto& p : points) CHECK(space.contains(p));
}

TEST_CASE("grid: the initial point is evaluated first and once", "[grid]") {
    // On the grid: it moves to the front and its later copy is dropped.
    const auto on = parse_search_space({"--x 1.0 [-1.0,1.0]", "--c b {a,b}"});
    GridStrategy grid(on, {.grid_size = 3});
    CHECK(grid.points().size() == 3 * 2);
    CHECK(grid.points()[0] == Point{1.0, 1.0});
    CHECK(std::count(grid.points().begin(), grid.points().end(), Point{1.0, 1.0}) == 1);
    // Off the grid: one more point.
    GridStrategy off(parse_search_space({"--x 0.1 [-1.0,1.0]", "--c b {a,b}"}), {.grid_size = 3});
    CHECK(off.points().size() == 3 * 2 + 1);
}

TEST_CASE("grid: proposals follow points(), and the budget is its size", "[grid]") {
    GridStrategy grid(parse_search_space({"--x [0.0,1.0]", "--n [1,3]"}), {.grid_size = 3}, {.seed = 2});
    const auto points = grid.points();
    CHECK(grid.planned_evaluations() == points.size());
    std::vector<Point> proposed;
    while (!grid.exhausted()) {
        for (const auto& p : grid.ask(2)) {
            CHECK(p.id == proposed.size());
            proposed.push_back(p.values);
        }
    }
    CHECK(proposed == points);
    CHECK(grid.ask(5).empty());
}

TEST_CASE("grid: options are validated", "[grid]") {
    const auto space = parse_search_space({"--x [0.0,1.0]"});
    CHECK_THROWS_WITH(GridStrategy(space, {.grid_size = 1}), Contains("grid_size must be >= 2 (got 1)"));
    CHECK_THROWS_WITH(GridStrategy(space, {.grid_size = 0}), Contains("grid_size"));
    std::vector<std::string> many;
    for (int i = 0; i < 12; ++i) many.push_back("--p" + std::to_string(i) + " [0.0,1.0]");
    CHECK_THROWS_WITH(GridStrategy(parse_search_space(many), {.grid_size = 5}), Contains("more than"));
}

TEST_CASE("grid: a saved state continues where it was, pending points included", "[grid][state]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--c {a,b}"});
    GridStrategy a(space, {.grid_size = 4}, {.seed = 1});
    const auto asked = a.ask(4);
    Trial t;
    t.id = asked[2].id;
    a.tell(t);
    const std::string state = a.save_state();
    CHECK(state.find("\nnext-id 4\npending 0 1 3\nend\n") != std::string::npos);

    GridStrategy b(space, {.grid_size = 4}, {.seed = 1});
    b.load_state(state);
    CHECK(b.pending() == std::vector<Proposal>{asked[0], asked[1], asked[3]});
    t.id = 3;
    b.tell(t);
    CHECK(b.pending().size() == 2);
    CHECK(b.ask(100) == a.ask(100));
    CHECK(b.exhausted());
}

TEST_CASE("grid: a state of another grid is rejected", "[grid][state]") {
    const auto space = parse_search_space({"--x [0.0,1.0]", "--c {a,b}"});
    GridStrategy a(space, {.grid_size = 4}, {.seed = 1});
    a.ask(3);
    GridStrategy coarser(space, {.grid_size = 3}, {.seed = 1});
    CHECK_THROWS_WITH(coarser.load_state(a.save_state()), Contains("a grid of 9 points, this grid has 7"));
    // Without defaults the initial point is a seeded draw: another seed is another grid.
    GridStrategy reseeded(space, {.grid_size = 4}, {.seed = 2});
    CHECK_THROWS_WITH(reseeded.load_state(a.save_state()), Contains("initial point"));
}
