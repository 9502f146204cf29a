"""The peers on a problem: Optuna's TPE, CMA-ES and random samplers (Debian python3-optuna)
and DEAP's genetic algorithm (python3-deap). Each evaluates the problem's kernel through
subprocess, one evaluation at a time, and returns the FoMs in evaluation order."""
import random

import problems

METHODS = ("optuna-tpe", "optuna-cmaes", "optuna-random", "deap-ga")

# DEAP: a (mu + lambda) GA on [0,1]^d with simulated binary crossover and polynomial mutation
# (the bounded real-valued operators of DEAP's examples) and tournament selection.
DEAP_MU = 20
DEAP_CXPB, DEAP_MUTPB = 0.6, 0.4   # every offspring is crossed or mutated, so each costs one evaluation
DEAP_ETA = 20.0
DEAP_TOURNAMENT = 3


def run(method, problem, seed, budget, kernel_dir, work):
    command = problems.kernel_command(problem, kernel_dir)
    params = problems.params(problem)
    foms = []

    def evaluate(values):
        foms.append(problems.evaluate(command, values, work))
        return foms[-1]

    if method == "deap-ga":
        run_deap(params, seed, budget, evaluate)
    else:
        run_optuna(method, params, seed, budget, evaluate)
    return foms


def run_optuna(method, params, seed, budget, evaluate):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    sampler = {"optuna-tpe": optuna.samplers.TPESampler,
               "optuna-cmaes": optuna.samplers.CmaEsSampler,
               "optuna-random": optuna.samplers.RandomSampler}[method](seed=seed)

    def objective(trial):
        values = {}
        for p in params:
            if p.integer:
                values[p.name] = trial.suggest_int(p.name, int(p.lo), int(p.hi), log=p.log)
            else:
                values[p.name] = trial.suggest_float(p.name, p.lo, p.hi, log=p.log)
        return evaluate(values)

    study = optuna.create_study(sampler=sampler, direction="minimize")
    study.optimize(objective, n_trials=budget)


def deap_shape(budget):
    """(mu, lambda, generations, rest): mu + generations * lambda + rest == budget (rest is 0 at
    the budgets used here: mu 20, lambda 20, 9 generations for 200 evaluations)."""
    mu = min(DEAP_MU, max(2, budget // 4))
    generations = max(1, round((budget - mu) / mu))
    return mu, (budget - mu) // generations, generations, (budget - mu) % generations


def run_deap(params, seed, budget, evaluate):
    from deap import algorithms, base, creator, tools
    random.seed(seed)
    if not hasattr(creator, "FitnessMin"):
        creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMin)
    d = len(params)
    toolbox = base.Toolbox()
    toolbox.register("individual", tools.initRepeat, creator.Individual, random.random, d)
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("evaluate", lambda ind: (evaluate({p.name: p.from_unit(u) for p, u in zip(params, ind)}),))
    toolbox.register("mate", tools.cxSimulatedBinaryBounded, eta=DEAP_ETA, low=0.0, up=1.0)
    toolbox.register("mutate", tools.mutPolynomialBounded, eta=DEAP_ETA, low=0.0, up=1.0, indpb=1.0 / d)
    toolbox.register("select", tools.selTournament, tournsize=DEAP_TOURNAMENT)
    mu, lam, generations, rest = deap_shape(budget)
    population = toolbox.population(n=mu)
    population, _ = algorithms.eaMuPlusLambda(population, toolbox, mu, lam, DEAP_CXPB, DEAP_MUTPB,
                                              generations, verbose=False)
    if rest:  # a budget that mu + k * lambda does not reach exactly: one last, smaller generation
        algorithms.eaMuPlusLambda(population, toolbox, mu, rest, DEAP_CXPB, DEAP_MUTPB, 1, verbose=False)
