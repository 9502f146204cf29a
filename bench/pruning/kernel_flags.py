"""The `--name=value` flags of the pruning kernels: each kernel declares its flags with
defaults once; parse() returns them typed, or raises ValueError naming the bad one."""


def parse(args, declared):
    """declared: {name: (type, default or None when required)} -> {name: value}."""
    values = {}
    for arg in args:
        name, sep, text = arg.lstrip("-").partition("=")
        if not arg.startswith("--") or not sep or name not in declared:
            raise ValueError("unexpected argument %r (flags: %s)" % (arg, ", ".join("--" + n for n in declared)))
        try:
            values[name] = declared[name][0](text)
        except ValueError:
            raise ValueError("--%s: not a %s: %r" % (name, declared[name][0].__name__, text)) from None
    for name, (kind, default) in declared.items():
        if name not in values:
            if default is None:
                raise ValueError("missing --" + name)
            values[name] = default
    if values.get("epochs", 1) < 1:
        raise ValueError("--epochs must be at least 1")
    return values
