"""torch.nn.Module classes and instances in ivyc.transpile (docs/python_api.md, "Modules").

A class becomes the converted class. An instance becomes an instance of the converted class, built
with the original's constructor arguments and loaded with its weights:

- Constructor arguments are read back from the instance: for each parameter of the class's
  ``__init__``, the instance's attribute of the same name (``self.d_in = d_in``), else the
  parameter's default. A parameter with neither is an error that names it (torch does not record
  how a module was built). Attributes that are layers, parameters or buffers are not taken for
  arguments.
- Weights: the converted file's ``load_torch_weights(model, state_dict)``, with
  ``instance.state_dict()`` (or ``params_v``, a state_dict, when given).
- Keras creates a model's weights on its first call: for tensorflow, ``args`` (a sample input) is
  required; the model is called on it once before loading.
- The mode follows the original's: an instance in eval mode gives an nnx model in eval mode (Keras
  and NumPy models run in inference unless called with ``training=True``).
"""

import inspect

from ._arrays import to_target
from ._errors import ConversionError


def finish_class(target, args, kwargs, params_v):
    if args is not None or kwargs is not None or params_v is not None:
        raise TypeError("ivyc.transpile: args, kwargs and params_v apply to functions and torch.nn.Module "
                        "instances; a class converts to a class (build it, then load_torch_weights)")
    return target.resolve()


def _init_arguments(instance):
    import torch

    cls = type(instance)
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return (), {}
    positional, keywords = [], {}
    missing = []
    params = list(signature.parameters.values())[1:]  # self
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        value = instance.__dict__.get(p.name, inspect.Parameter.empty)
        if isinstance(value, (torch.nn.Module, torch.Tensor)):
            value = inspect.Parameter.empty
        if value is inspect.Parameter.empty:
            if p.default is inspect.Parameter.empty:
                missing.append(p.name)
            continue
        if p.kind == p.POSITIONAL_ONLY:
            positional.append(value)
        else:
            keywords[p.name] = value
    if missing:
        names = ", ".join(missing)
        raise ValueError(
            f"ivyc.transpile: cannot rebuild {cls.__qualname__}: the instance does not keep the constructor "
            f"argument(s) {names} (no attribute self.{missing[0]}); store them in __init__ "
            f"(self.{missing[0]} = {missing[0]}), or transpile the class {cls.__qualname__} and build it yourself")
    return tuple(positional), keywords


def finish_instance(target, args, kwargs, params_v):
    instance = target.origin.obj
    to = target.job.to
    cls = target.resolve()
    positional, keywords = _init_arguments(instance)
    try:
        model = cls(*positional, **keywords)
    except Exception as error:
        raise ConversionError(f"ivyc: building the converted {cls.__qualname__}({', '.join(keywords)}) failed: "
                              f"{type(error).__name__}: {error}", path=target.job.filename, report=target.report) from error
    namespace = vars(target.job.converted)
    sample_args = to_target(tuple(args or ()), to)
    sample_kwargs = to_target(dict(kwargs or {}), to)
    if to == "tensorflow":
        if args is None and kwargs is None:
            raise ValueError(f"ivyc.transpile: a Keras model creates its weights on its first call: pass args= (a "
                             f"sample input to {type(instance).__qualname__}.forward) to convert an instance to tensorflow")
        model(*sample_args, **sample_kwargs)
    load = namespace.get("load_torch_weights")
    if load is None:
        raise ConversionError(f"ivyc: the converted file of {target.job.filename} defines no load_torch_weights",
                              path=target.job.filename, report=target.report)
    state = params_v if params_v is not None else instance.state_dict()
    load(model, state)
    if not instance.training and to == "jax" and hasattr(model, "eval"):
        model.eval()
    if to != "tensorflow" and (args is not None or kwargs is not None):
        model(*sample_args, **sample_kwargs)  # checks that the converted model runs
    return model
