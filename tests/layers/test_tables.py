"""The layer tables checked without ivyc: each sample's template rendered by tables.py, the layer
wrapped in a minimal model of the target, torch's weights loaded with the table's
load_torch_weights, and the outputs compared with torch's (eval mode, and train mode where
deterministic). This tells a table bug from an engine bug; test_layers.py runs the same samples
through ivyc.
"""

import pytest

import layer_harness as h
import layer_tables as tables

h.setup_env()


def wrapper(target: str, ns: dict, layer):
    """A model holding `layer` as attribute `layer`, as a converted module class would."""
    if target == "jax":
        class M(ns["nnx"].Module):
            def __init__(self, layer):
                self.deterministic = False
                self.layer = layer

            def __call__(self, x):
                return self.layer(x)
    elif target == "tensorflow":
        class M(ns["keras"].Model):
            def __init__(self, layer):
                super().__init__()
                self.layer = layer

            def call(self, x, training=None):
                return self.layer(x, training=training)
    else:
        class M:
            def __init__(self, layer):
                self.layer = layer

            def __call__(self, x):
                return self.layer(x)
    return M(layer)


@pytest.mark.parametrize("case", h.cases(), ids=lambda c: c.id)
def test_table(case):
    if case.skip_reason:
        pytest.skip(case.skip_reason)
    ns = tables.namespace(case.target)
    source = tables.expression(case.target, case.layer, case.sample.get("args", []), case.sample.get("kwargs", {}))
    model = wrapper(case.target, ns, eval(source, ns))
    x = h.make_input(case)
    layer = h.torch_layer(case)
    train = h.deterministic_in_train(case)
    weights = h.state_dict(layer)  # before torch's train-mode call updates the running statistics
    want = h.torch_outputs(layer, x, train)
    h.first_call(case.target, model, x)
    ns["load_torch_weights"](model, weights)
    got = h.target_outputs(case.target, model, x, train)
    h.compare(case, want, got)
