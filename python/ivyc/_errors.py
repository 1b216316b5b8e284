"""The errors of ivyc's Python API."""


class ConversionError(RuntimeError):
    """An object could not be converted: its file does not parse, the engine failed, or the
    converted file failed to run. ``path``, ``line`` and ``column`` say where (``line`` and
    ``column`` are 0 when there is no position); ``report`` is the object's ``__ivyc_report__``
    where the conversion got that far, else None."""

    def __init__(self, message, *, path=None, line=0, column=0, report=None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.report = report


class UnsupportedError(ConversionError):
    """The converted object (or a function or class of its file that it uses) contains an API that
    ivyc cannot convert to the target. ``api`` is the first such API, ``path``/``line``/``column``
    its position in the original file, ``sites`` every unsupported site (dicts with line, column,
    api, reason) of the object and what it uses."""

    def __init__(self, message, *, api, sites, path=None, line=0, column=0, report=None):
        super().__init__(message, path=path, line=line, column=column, report=report)
        self.api = api
        self.sites = sites
