"""ivyc: converts PyTorch code to JAX / Flax NNX, TensorFlow / Keras 3 and NumPy, from Python.

    import ivyc
    f_jax = ivyc.transpile(f, source="torch", to="jax")   # f: a torch function
    print(ivyc.source_of(f_jax))                           # the converted file
    lib = ivyc.transpile(mypkg, source="torch", to="jax")  # a package: converted lazily, file by file

The conversion runs in this process, in the C++ engine (the extension module ``ivyc._engine``);
the same engine is the ``ivyc`` command. See docs/python_api.md.
"""

from ._errors import ConversionError, UnsupportedError
from ._transpile import convert_source, frameworks, source_of, sources, targets, transpile

__all__ = [
    "ConversionError",
    "UnsupportedError",
    "convert_source",
    "frameworks",
    "source_of",
    "sources",
    "targets",
    "transpile",
]

__version__ = "0.1.0"
