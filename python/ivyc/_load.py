"""Finds the engine, ``ivyc._engine``.

Installed with ``pip install .``, the extension sits in this package. In a development tree
(``python/ivyc`` on ``sys.path``), CMake builds it into ``<build>/python/ivyc/``: the folder named by
``IVYC_ENGINE_DIR``, else ``build/python/ivyc`` of the repository, is added to the package's path.
"""

import importlib
import os
from pathlib import Path

_engine = None


def engine():
    global _engine
    if _engine is not None:
        return _engine
    import ivyc

    try:
        _engine = importlib.import_module("ivyc._engine")
        return _engine
    except ImportError as error:
        first = error
    candidates = []
    if os.environ.get("IVYC_ENGINE_DIR"):
        candidates.append(Path(os.environ["IVYC_ENGINE_DIR"]))
    candidates.append(Path(__file__).resolve().parents[2] / "build" / "python" / "ivyc")
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("_engine*")):
            if str(folder) not in ivyc.__path__:
                ivyc.__path__.append(str(folder))
            _engine = importlib.import_module("ivyc._engine")
            return _engine
    raise ImportError(
        "ivyc's engine (the extension module ivyc._engine) is not built: install ivyc with "
        "`pip install .`, or build it with scripts/build.sh (CMake option IVYC_PYTHON_MODULE=ON) and set "
        f"IVYC_ENGINE_DIR to the folder that holds it (looked in: {', '.join(map(str, candidates))})"
    ) from first
