// The C++ driver API in one include (README: C++ driver API): Evaluator, Params, and the optimizers.
#pragma once

#include "hpo/driver/evaluator.hpp"
#include "hpo/driver/launch_rank.hpp"
#include "hpo/driver/optimizer.hpp"
#include "hpo/driver/param_values.hpp"
#include "hpo/driver/params.hpp"
#include "hpo/run/run.hpp"
#include "hpo/space/parse.hpp"
#include "hpo/store/checkpoint.hpp"
