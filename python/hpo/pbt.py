"""``hpo.pbt.Optimizer``: population-based training (hpo's own, not in the seed)."""

from ._optimizer import strategy_optimizer

Optimizer = strategy_optimizer(
    "pbt",
    "Population-based training: population members each train for rounds rounds, one trial per round\n"
    "of one member, in its own checkpoint directory (@checkpoint in the command, HPO_CHECKPOINT_DIR in\n"
    "its environment), a copy of the one it continues. After each round a member in the bottom\n"
    "exploit_fraction takes the checkpoint and hyperparameters of one in the top fraction and perturbs\n"
    "them (x0.8 or x1.2; with resample_probability a fresh draw). No barrier between members.\n"
    "hpo.pbt.Optimizer(evaluator, population=8, rounds=10); trials give each round's member and parent.")
