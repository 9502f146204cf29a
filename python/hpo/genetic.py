"""``hpo.genetic.Optimizer``: the genetic island model, the seed's own strategy."""

from ._optimizer import strategy_optimizer

Optimizer = strategy_optimizer(
    "genetic",
    "Genetic search: num_demes islands of pop_size individuals evolve for generations; generation 0 is\n"
    "the default point and space-filling points; every migration_interval generations (1 by default)\n"
    "the demes meet: each sends its best to its neighbour and breeds from every deme's members.\n"
    "hpo.genetic.Optimizer(evaluator, generations=20, pop_size=10, num_demes=4,\n"
    "log_fn='genetic.log') writes genetic.log and, with several demes, Deme1_genetic.log, ...\n"
    "The seed's PBT: an Evaluator checkpoint (or @checkpoint in its command) gives each child a copy of\n"
    "its parent's checkpoint directory; gens_per_epoch says at which generations.")
